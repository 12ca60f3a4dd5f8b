package org.myna.insurance.eligibility;

import org.myna.platform.groupcommit.GroupCommitWriter;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A card check waiting for the eligibility writer: who asks, the challenge it spends, and what is known of the card —
 * its fingerprint, for the writer to read in the card replica ({@code fingerprint}); or the holder's standing the
 * registry gave ({@code status}, {@code linkCode}); or an answer already decided ({@code fixedResult}). Its future
 * completes after the batch committed: with the answer, with {@code null} when the replica does not know the card
 * (nothing recorded, the challenge unspent: the caller asks the registry), or with a problem.
 */
record CheckRequest(Facility facility, String nonceId, String fingerprint, String status, String linkCode,
                    String fixedResult, List<String> fallbacks, CompletableFuture<CheckAnswer> result)
        implements GroupCommitWriter.Request {

    static CheckRequest fromReplica(Facility facility, String nonceId, String fingerprint) {
        return new CheckRequest(facility, nonceId, fingerprint, null, null, null, null, new CompletableFuture<>());
    }

    static CheckRequest holder(Facility facility, String nonceId, String status, String linkCode) {
        return new CheckRequest(facility, nonceId, null, status, linkCode, null, null, new CompletableFuture<>());
    }

    static CheckRequest fixed(Facility facility, String nonceId, String result, List<String> fallbacks) {
        return new CheckRequest(facility, nonceId, null, null, null, result, fallbacks, new CompletableFuture<>());
    }
}
