package org.myna.registry.me;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.myna.registry.support.CardFlow;
import org.myna.registry.support.Residents;
import org.myna.registry.support.Tokens;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

@QuarkusTest
class MeResourceTest {

    static final String OP = "register-public-fund-account";
    /** Distinct account numbers per test: accounts are unique across residents. */
    static final AtomicInteger ACCOUNTS = new AtomicInteger(1_000_000 + (int) (System.nanoTime() % 1_000_000));

    static Map<String, Object> account(String number, String kana) {
        Map<String, Object> body = new HashMap<>();
        body.put("bankCode", "0001");
        body.put("branchCode", "123");
        body.put("accountType", "ordinary");
        body.put("accountNumber", number);
        body.put("holderKana", kana);
        return body;
    }

    static String nextAccount() {
        return String.valueOf(ACCOUNTS.incrementAndGet() % 9_000_000 + 1_000_000);
    }

    @Test
    void twoResidentsInTurnAtOneTerminalNeverActForEachOther() {
        CardFlow.Issued first = CardFlow.newHolder();   // 山田 花子
        CardFlow.Issued second = CardFlow.activeCardFor(Residents.register(Residents.body("佐藤", "次郎", "サトウ", "ジロウ", "1980-01-01")));
        String firstToken = CardFlow.login(first.card(), "registry");
        String firstOp = CardFlow.operationToken(first.card(), OP, "registry");
        // the first walks away; the second logs in at the same terminal
        String secondToken = CardFlow.login(second.card(), "registry");
        given().auth().oauth2(secondToken).get("/api/me").then().statusCode(200)
                .body("familyName", equalTo("佐藤")).body("number", equalTo(second.number()));
        given().auth().oauth2(firstToken).get("/api/me").then().statusCode(200).body("familyName", equalTo("山田"));
        // the first's left-over operation token, used for the second's account, acts for the first or not at all
        String acct = nextAccount();
        given().auth().oauth2(firstOp).contentType(ContentType.JSON).body(account(acct, "サトウ ジロウ"))
                .put("/api/me/public-fund-account").then().statusCode(422).body("code", equalTo("holder-kana-mismatch"));
        given().auth().oauth2(secondToken).get("/api/me/public-fund-account").then().statusCode(404);
        given().auth().oauth2(firstOp).contentType(ContentType.JSON).body(account(acct, "ヤマダ ハナコ"))
                .put("/api/me/public-fund-account").then().statusCode(200).body("accountNumber", equalTo(acct));
        given().auth().oauth2(firstToken).get("/api/me/public-fund-account").then().statusCode(200).body("accountNumber", equalTo(acct));
        given().auth().oauth2(secondToken).get("/api/me/public-fund-account").then().statusCode(404);
    }

    @Test
    void operationTokenReplayAndWrongOperationAreRefused() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String op = CardFlow.operationToken(holder.card(), OP, "registry");
        Map<String, Object> body = account(nextAccount(), "ヤマダハナコ");
        given().auth().oauth2(op).contentType(ContentType.JSON).body(body).put("/api/me/public-fund-account").then().statusCode(200);
        given().auth().oauth2(op).contentType(ContentType.JSON).body(body).put("/api/me/public-fund-account")
                .then().statusCode(409).body("code", equalTo("operation-token-used"));
        String other = CardFlow.operationToken(holder.card(), "apply-points", "registry");
        given().auth().oauth2(other).contentType(ContentType.JSON).body(body).put("/api/me/public-fund-account")
                .then().statusCode(403).body("code", equalTo("operation-token-wrong-operation"));
        // a resident token is not an operation token, and an operation token is not a resident token
        String resident = CardFlow.login(holder.card(), "registry");
        given().auth().oauth2(resident).contentType(ContentType.JSON).body(body).put("/api/me/public-fund-account").then().statusCode(403);
        given().auth().oauth2(CardFlow.operationToken(holder.card(), OP, "registry")).get("/api/me").then().statusCode(403);
        // an operation token for another audience does not open the registry
        given().auth().oauth2(CardFlow.operationToken(holder.card(), OP, "wallet")).contentType(ContentType.JSON).body(body)
                .put("/api/me/public-fund-account").then().statusCode(401);
    }

    @Test
    void concurrentReplaysOfOneOperationTokenActOnce() throws Exception {
        CardFlow.Issued holder = CardFlow.newHolder();
        String op = CardFlow.operationToken(holder.card(), OP, "registry");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        java.util.List<java.util.concurrent.Callable<Integer>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Map<String, Object> body = account(nextAccount(), "ヤマダ ハナコ");
            calls.add(() -> given().auth().oauth2(op).contentType(ContentType.JSON).body(body)
                    .put("/api/me/public-fund-account").statusCode());
        }
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (var f : pool.invokeAll(calls)) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
        assertThat(statuses).allMatch(s -> s == 200 || s == 409);
    }

    @Test
    void holderKanaMustBeTheResidentsOwn() {
        CardFlow.Issued holder = CardFlow.newHolder();  // ヤマダ ハナコ
        // a family member's account
        given().auth().oauth2(CardFlow.operationToken(holder.card(), OP, "registry")).contentType(ContentType.JSON)
                .body(account(nextAccount(), "ヤマダ タロウ")).put("/api/me/public-fund-account")
                .then().statusCode(422).body("code", equalTo("holder-kana-mismatch"));
        // the same name in half-width katakana or hiragana with an ideographic space matches
        given().auth().oauth2(CardFlow.operationToken(holder.card(), OP, "registry")).contentType(ContentType.JSON)
                .body(account(nextAccount(), "ﾔﾏﾀﾞ ﾊﾅｺ")).put("/api/me/public-fund-account").then().statusCode(200);
        given().auth().oauth2(CardFlow.operationToken(holder.card(), OP, "registry")).contentType(ContentType.JSON)
                .body(account(nextAccount(), "やまだ\u3000はなこ")).put("/api/me/public-fund-account").then().statusCode(200);
        assertThat(KanaNames.forMatching("ﾔﾏﾀﾞ ﾊﾅｺ")).isEqualTo("ヤマダハナコ");
    }

    @Test
    void oneAccountBelongsToOneResident() {
        CardFlow.Issued a = CardFlow.newHolder();
        CardFlow.Issued b = CardFlow.activeCardFor(Residents.register(Residents.sample()));  // same name, another person
        String acct = nextAccount();
        given().auth().oauth2(CardFlow.operationToken(a.card(), OP, "registry")).contentType(ContentType.JSON)
                .body(account(acct, "ヤマダ ハナコ")).put("/api/me/public-fund-account").then().statusCode(200);
        given().auth().oauth2(CardFlow.operationToken(b.card(), OP, "registry")).contentType(ContentType.JSON)
                .body(account(acct, "ヤマダ ハナコ")).put("/api/me/public-fund-account")
                .then().statusCode(409).body("code", equalTo("account-registered-to-another"));
        given().auth().oauth2(CardFlow.login(b.card(), "registry")).get("/api/me/public-fund-account").then().statusCode(404);
    }

    @Test
    void refusesMalformedAccounts() {
        CardFlow.Issued holder = CardFlow.newHolder();
        Map<String, Object> body = account("12345", "ヤマダ ハナコ");
        body.put("bankCode", "1");
        given().auth().oauth2(CardFlow.operationToken(holder.card(), OP, "registry")).contentType(ContentType.JSON)
                .body(body).put("/api/me/public-fund-account").then().statusCode(400);
        Map<String, Object> bad = account(nextAccount(), "ヤマダ ハナコ");
        bad.put("accountType", "gold");
        given().auth().oauth2(CardFlow.operationToken(holder.card(), OP, "registry")).contentType(ContentType.JSON)
                .body(bad).put("/api/me/public-fund-account").then().statusCode(400);
    }

    @Test
    void residentSeesTheirAccessLogAndOnlyTheirs() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String token = CardFlow.login(holder.card(), "registry");
        given().auth().oauth2(token).get("/api/me/access-log").then().statusCode(200)
                .body("purpose", hasItem("card-issuance"))
                .body("purpose", hasItem("resident-registration"))
                .body("role", hasItem("clerk"));
        given().auth().oauth2(Tokens.clerk()).get("/api/me").then().statusCode(403);
        given().get("/api/me").then().statusCode(401);
        CardFlow.Issued other = CardFlow.newHolder();
        given().auth().oauth2(token).get("/api/me").then().body("number", not(equalTo(other.number())));
    }
}
