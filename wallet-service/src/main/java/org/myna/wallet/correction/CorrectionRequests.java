package org.myna.wallet.correction;

public final class CorrectionRequests {
    private CorrectionRequests() {
    }

    public record ProposeCorrection(Long transferId, String reason) {
    }

    public record CorrectionResponse(long id, long transferId, String reason, String proposedBy, String status, String approvedBy,
                                     Long correctingTransferId) {
        static CorrectionResponse of(Correction c) {
            return new CorrectionResponse(c.id, c.transferId, c.reason, c.proposedBy, c.approvedBy == null ? "proposed" : "executed",
                    c.approvedBy, c.correctingTransferId);
        }
    }
}
