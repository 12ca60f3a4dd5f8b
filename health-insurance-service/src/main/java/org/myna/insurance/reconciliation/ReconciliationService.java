package org.myna.insurance.reconciliation;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;
import org.myna.insurance.config.InsuranceConfig;
import org.myna.insurance.member.Member;
import org.myna.insurance.registry.RegistryClient;
import org.myna.platform.lease.Lease;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Re-asks the registry whether each link still holds (the resident may have been renamed, may have died, the link
 * may have been revoked), a page of members per call. Pages through members by id with one short transaction per
 * page and per finding, so eligibility checks never wait on a reconciliation. The scheduled run goes on one replica:
 * each replica's cron fires, the one that takes the {@value #JOB} lease (platform {@link Lease}, table job_lease) runs
 * and renews it page by page, and the others pass. The lease is kept for its term after the run, so a replica whose
 * cron fires late does not start the night's run again. A run started by an auditor is that auditor's act and runs
 * where it was asked.
 */
@ApplicationScoped
public class ReconciliationService {

    private static final Logger LOG = Logger.getLogger(ReconciliationService.class);
    static final String JOB = "reconciliation";

    private final RegistryClient registry;
    private final InsuranceConfig config;
    private final Lease lease;
    // One run at a time is plenty; the work is bound by the registry, not by this service.
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "reconciliation");
        t.setDaemon(true);
        return t;
    });

    public ReconciliationService(RegistryClient registry, InsuranceConfig config, EntityManager em) {
        this.registry = registry;
        this.config = config;
        this.lease = new Lease(em, "job_lease", JOB, config.reconciliation().lease());
    }

    record Snapshot(long id, String linkCode, String familyName, String givenName, String familyNameKana,
                    String givenNameKana, LocalDate dateOfBirth, String sex) {
    }

    /** Starts a run in the background and returns it at once. */
    public Reconciliation start(String startedBy) {
        Reconciliation run = open(startedBy);
        runner.submit(() -> execute(run.id, null));
        return run;
    }

    @Scheduled(cron = "{insurance.reconciliation.cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        if (lease.acquire()) {
            execute(open("scheduler").id, lease);
        }
    }

    private Reconciliation open(String startedBy) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Reconciliation r = new Reconciliation();
            r.startedBy = startedBy;
            r.startedAt = OffsetDateTime.now();
            r.status = "running";
            r.persist();
            return r;
        });
    }

    /** @param held the lease a scheduled run holds, renewed page by page; null for a run an auditor started */
    void execute(long runId, Lease held) {
        long after = 0;
        long checked = 0;
        long findings = 0;
        try {
            while (true) {
                if (held != null && !held.acquire()) {
                    // Its term passed without a renewal (a stall longer than the term): another replica may run now.
                    LOG.warnf("reconciliation %d stopped after %d members: its lease was lost", runId, checked);
                    progress(runId, checked, findings, "failed");
                    return;
                }
                List<Snapshot> page = page(after);
                if (page.isEmpty()) {
                    break;
                }
                List<RegistryClient.Verification> answers = registry.verifyAll(page.stream()
                        .map(m -> new RegistryClient.LinkCheck(m.linkCode(), m.familyName(), m.givenName(),
                                m.familyNameKana(), m.givenNameKana(), m.dateOfBirth(), m.sex()))
                        .toList());
                for (int i = 0; i < page.size(); i++) {
                    RegistryClient.Verification v = answers.get(i);
                    if (!"match".equals(v.status())) {
                        finding(runId, page.get(i).id(), v);
                        findings++;
                    }
                }
                checked += page.size();
                after = page.get(page.size() - 1).id();
                progress(runId, checked, findings, "running");
            }
            progress(runId, checked, findings, "finished");
        } catch (RuntimeException e) {
            LOG.warnf("reconciliation %d stopped after %d members: %s", runId, checked, e.getClass().getSimpleName());
            progress(runId, checked, findings, "failed");
        }
    }

    private List<Snapshot> page(long after) {
        return QuarkusTransaction.requiringNew().call(() -> Member.<Member>find(
                        "linkStatus = ?1 and id > ?2 order by id", Member.LINKED, after)
                .page(0, config.reconciliation().pageSize()).list().stream()
                .map(m -> new Snapshot(m.id, m.linkCode, m.familyName, m.givenName, m.familyNameKana, m.givenNameKana,
                        m.dateOfBirth, m.sex))
                .toList());
    }

    private void finding(long runId, long memberId, RegistryClient.Verification v) {
        QuarkusTransaction.requiringNew().run(() -> {
            ReconciliationFinding f = new ReconciliationFinding();
            f.reconciliationId = runId;
            f.memberId = memberId;
            f.status = v.status();
            f.mismatched = v.mismatched().isEmpty() ? null : String.join(",", v.mismatched());
            f.persist();
        });
    }

    private void progress(long runId, long checked, long findings, String status) {
        QuarkusTransaction.requiringNew().run(() -> {
            Reconciliation r = Reconciliation.findById(runId);
            r.checked = checked;
            r.findings = findings;
            r.status = status;
            if (!"running".equals(status)) {
                r.finishedAt = OffsetDateTime.now();
            }
        });
    }

    @PreDestroy
    void stop() {
        runner.shutdownNow();
    }
}
