package org.myna.wallet.ledger;

/** What a caller asks the ledger to move; (clientId, transferKey) is its exactly-once id. */
public record TransferOrder(String clientId, String transferKey, long debitAccountId, long creditAccountId, long amount,
                            String kind, String rule, String reference, Long reversesId) {
}
