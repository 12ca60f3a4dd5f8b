package org.myna.wallet.ledger.batch;

import org.myna.platform.groupcommit.GroupCommitWriter;

import java.util.concurrent.CompletableFuture;

/**
 * One request for the batched ledger writer, with everything it needs copied out of the HTTP request (the writer's
 * thread sees no request scope). Its future completes once the batch that carries it committed (or with a 503).
 */
public sealed interface LedgerCommand extends GroupCommitWriter.Request {

    /** The request's Idempotency-Key: (scope, key) is unique; endpoint and hash tell a replay from a reuse. */
    record Key(String scope, String key, String endpoint, String hash) {
        String id() {
            return scope + '\n' + key;
        }
    }

    Key key();

    String campaignId();

    CompletableFuture<LedgerOutcome> result();

    /**
     * A grant under one rule: the operation token {@code jti} is consumed in the same transaction. {@code question} is
     * null when the registry confirmed the rule's condition; otherwise the exchange question the batch answers from the
     * wallet's copy of the registry's facts (table eligibility_fact), read in its own transaction: a "yes" grants, anything
     * else leaves the grant unanswered (the caller asks the registry). {@code card}, when not null, is the operation
     * token's card, still to be judged from the copy of the card events (table card_standing) before anything else.
     */
    record Grant(Key key, String jti, String campaignId, String rule, String resident, boolean fixed, long amount, long cap,
                 String question, Card card, CompletableFuture<LedgerOutcome> result) implements LedgerCommand {
        public Grant(Key key, String jti, String campaignId, String rule, String resident, boolean fixed, long amount, long cap,
                     String question, CompletableFuture<LedgerOutcome> result) {
            this(key, jti, campaignId, rule, resident, fixed, amount, cap, question, null, result);
        }
    }

    /** A token's card as {@link org.myna.platform.cardstanding.CardStandingCheck} judges it: link code, card claim, iat. */
    record Card(String linkCode, String cardRef, long issuedAtSeconds) {
    }

    /** A provider's charge that earns {@code percent} back under {@code rule}, up to the person's cap. */
    record Charge(Key key, String providerClient, String accountRef, String service, long amount, String campaignId,
                  String rule, int percent, CompletableFuture<LedgerOutcome> result) implements LedgerCommand {
    }

    /**
     * A request refused before the batch (a closed campaign, a condition the registry does not confirm): its refusal is
     * stored under its key unless the key already holds an answer, and its operation token ({@code jti}, if any) is spent.
     */
    record Refusal(Key key, String campaignId, org.myna.platform.problem.Problem problem, String jti,
                   CompletableFuture<LedgerOutcome> result) implements LedgerCommand {
    }

    /** A purchase paid with points at a merchant. */
    record Redemption(Key key, String providerClient, String accountRef, String service, String merchant, long amount,
                      String campaignId, CompletableFuture<LedgerOutcome> result) implements LedgerCommand {
    }

    /**
     * A two-phase redemption's first step: {@code amount} points of the resident are held for {@code merchant} until
     * captured, voided or {@code validFor} has passed (then they return by themselves).
     */
    record Authorize(Key key, String providerClient, String accountRef, String service, String merchant, long amount,
                     String campaignId, java.time.Duration validFor, CompletableFuture<LedgerOutcome> result) implements LedgerCommand {
    }

    /**
     * The capture of {@code capture} points (1 to the held amount) or, when {@code capture} is null, the void of an
     * authorisation, by the provider that made it. Its campaign is the authorisation's, found in the batch.
     */
    record Settle(Key key, String providerClient, long authorizationId, Long capture, CompletableFuture<LedgerOutcome> result)
            implements LedgerCommand {
        @Override
        public String campaignId() {
            return null;
        }
    }

    /** The expiry of a pending authorisation past its deadline (the sweep's command; no Idempotency-Key, no answer). */
    record Expire(long authorizationId, CompletableFuture<LedgerOutcome> result) implements LedgerCommand {
        @Override
        public Key key() {
            return new Key(LedgerBatch.LEDGER_CLIENT, "expire:" + authorizationId, "expire", "");
        }

        @Override
        public String campaignId() {
            return null;
        }
    }
}
