package org.myna.wallet.application;

public final class ApplicationRequests {
    private ApplicationRequests() {
    }

    public record Apply(String rule, String campaign) {
    }

    /** status: granted (fixed rules, points credited) or eligible (percent-back rules, points come with charges). */
    public record ApplicationResponse(String campaign, String rule, String status, long points, long balance, Long transferId) {
    }
}
