package org.myna.card;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The JSON card file. Retry counters are in clear; private keys only sealed ({@link KeyProtection});
 * public keys and certificates as PEM.
 */
record CardFile(String format, String cardId, SlotFile auth, SlotFile sign) {
    static final String FORMAT = "myna-card-simulator/1";

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    record SlotFile(int triesLeft, String publicKey, KeyProtection.Sealed privateKey,
                    @JsonInclude(JsonInclude.Include.ALWAYS) String certificate) {
    }
}
