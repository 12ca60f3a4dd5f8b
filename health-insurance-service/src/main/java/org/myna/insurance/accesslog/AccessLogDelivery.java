package org.myna.insurance.accesslog;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.myna.platform.accesslog.AccessLogSender;

/** Runs the platform's access-log sender on a schedule ({@code access-log.outbox.interval}; "off" in tests). */
@ApplicationScoped
public class AccessLogDelivery {

    private final AccessLogSender sender;

    public AccessLogDelivery(AccessLogSender sender) {
        this.sender = sender;
    }

    @Scheduled(every = "${access-log.outbox.interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void run() {
        sender.deliver();
    }
}
