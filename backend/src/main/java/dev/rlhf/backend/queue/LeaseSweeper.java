package dev.rlhf.backend.queue;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Returns expired leases to the queue on a fixed interval (rlhf.queue.sweep-interval). */
@ApplicationScoped
public class LeaseSweeper {

    private static final Logger LOG = Logger.getLogger(LeaseSweeper.class);

    private final TaskQueue queue;

    LeaseSweeper(TaskQueue queue) {
        this.queue = queue;
    }

    @Scheduled(every = "${rlhf.queue.sweep-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        int tasks = queue.expireLeases();
        if (tasks > 0) {
            LOG.debugf("expired leases returned %d tasks to the queue", tasks);
        }
    }
}
