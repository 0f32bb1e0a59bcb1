package dev.rlhf.backend.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Settings of the annotation service; environment variables use the upper-case form (RLHF_ADMIN_PASSWORD). */
@ConfigMapping(prefix = "rlhf")
public interface RlhfConfig {

    /**
     * Password of the admin account created on the first start. When absent, a random password is
     * generated and printed once in the log; it is never stored in clear.
     */
    Optional<String> adminPassword();

    /** Username of the admin account created on the first start. */
    @WithDefault("admin")
    String adminUsername();

    /** Seed a demo campaign, prompts, completions and rater accounts on start (./rlhf up --demo). */
    @WithDefault("false")
    boolean demo();

    Auth auth();

    Queue queue();

    Outbox outbox();

    RewardModel rewardModel();

    ActiveLearning activeLearning();

    /** Campaigns that prefer uncertain pairs: how their tasks' certainty is kept up to date. */
    interface ActiveLearning {
        /**
         * How often the latest reward-model version is asked about those campaigns' open tasks that it has not
         * scored yet: a duration such as {@code 30s}, or {@code off}.
         */
        @WithDefault("30s")
        String refreshInterval();

        /**
         * Pairs sent to the worker per call (an N-way task of n answers is n(n-1)/2 pairs). Each pair is two
         * forward passes: with a 135M-parameter model on CPU, 64 pairs take seconds to tens of seconds.
         */
        @WithDefault("64")
        int pairsPerCall();

        /** How long one scoring call may take (longer than the console's calls: it is background work). */
        @WithDefault("2m")
        Duration callTimeout();

        /** Tasks scored per campaign and round at most, so one large campaign cannot hold the worker for long. */
        @WithDefault("2000")
        int tasksPerRound();
    }

    interface RewardModel {
        /**
         * Base URL of the reward-model worker (e.g. http://localhost:8081), whose versions the research
         * console shows through /api/reward-models. Absent: those endpoints answer 503. ./rlhf up sets it.
         */
        Optional<String> url();

        /** The worker's API token (its rlhf.reward-model.api-token); never logged. */
        Optional<String> apiToken();

        /** How long a call to the worker may take before the console gets a 504. */
        @WithDefault("10s")
        Duration timeout();
    }

    interface Outbox {
        /** Events published per round trip to the broker. */
        @WithDefault("500")
        int batchSize();

        /** How long the relay waits before looking again after a batch that was not full (or none at all). */
        @WithDefault("20ms")
        Duration idlePoll();

        /** How long to wait after a failed publish before retrying (the backlog waits in the outbox). */
        @WithDefault("1s")
        Duration retryBackoff();

        /** How long sent events stay in the outbox table for audit before they are deleted. */
        @WithDefault("7d")
        Duration keepSent();

        /**
         * The relay producer's {@code compression.type} (none, lz4, zstd, snappy, gzip); the broker stores batches as
         * the producer compressed them. None by default: the relay's batches are small (a few events per partition),
         * and compressing each one (Kafka's LZ4 in Java) cost about 15% of the backend's CPU per judgment in the
         * ingest benchmark (bench/README.md), while an event is about 1 KB on disk uncompressed. Set lz4 where the
         * topic's disk matters more than the service's CPU.
         */
        @WithDefault("none")
        String compression();
    }

    interface Auth {
        /** How long a login stays valid. */
        @WithDefault("12h")
        Duration sessionTtl();

        /** bcrypt work factor for stored passwords (each +1 doubles the cost of a login). */
        @WithDefault("10")
        int bcryptCost();

        /**
         * How long a resolved session is cached in memory. Logout and disabling a user clear it at
         * once on this instance; other instances notice within this time.
         */
        @WithDefault("30s")
        Duration sessionCacheTtl();

        /** Mark the session cookie Secure (HTTPS only). Off by default so http://localhost works. */
        @WithDefault("false")
        boolean secureCookie();

        /**
         * Whether built-in accounts may log in with a password. Turn it off when an OIDC provider
         * ({@code quarkus.oidc.*}) is the only way in; the login endpoint then answers 403.
         */
        @WithDefault("true")
        boolean passwordLogin();
    }

    interface Queue {
        /**
         * How often leases past their expiry are returned to the queue: a duration such as {@code 5s},
         * or {@code off} (tests expire leases themselves).
         */
        @WithDefault("5s")
        String sweepInterval();
    }
}
