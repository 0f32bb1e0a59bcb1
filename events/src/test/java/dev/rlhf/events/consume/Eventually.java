package dev.rlhf.events.consume;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Waits for a condition that a background consumer will make true. */
final class Eventually {

    private Eventually() {
    }

    static void waitUntil(Duration timeout, BooleanSupplier condition, Supplier<String> stateOnTimeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not reached within " + timeout.toSeconds() + " s: " + stateOnTimeout.get());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
