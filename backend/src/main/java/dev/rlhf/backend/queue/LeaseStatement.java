package dev.rlhf.backend.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The lease as one round trip: serialise the rater's calls, then one statement that reads the campaign,
 * finds what the rater holds, picks and locks a task (fewest judgments first, or least certain first when the
 * campaign prefers uncertain pairs; gold at the campaign's ratio),
 * counts the lease on it, records the assignment (with the guideline version the rater is shown, which their judgment
 * will record) and returns what the rater will see.
 *
 * <p>Hibernate used to spend ~15 statements and most of the request's CPU on this; the rules are unchanged.
 * The advisory lock is its own statement because a statement's snapshot is taken when it starts: the
 * lease statement must start after the lock, to see the rater's previous lease committed.
 */
final class LeaseStatement {

    /**
     * One rater's concurrent calls in one campaign wait for each other, so a double click cannot take two leases.
     * The lease's commit does not wait for the disk ({@code synchronous_commit} off for this transaction only):
     * a lease lost in a database crash is a lease that expired early, and a judgment's own (synchronous) commit
     * flushes the write-ahead log up to and including its lease, so no stored judgment can lack its assignment.
     */
    private static final String RATER_LOCK = "SELECT set_config('synchronous_commit', 'off', true), pg_advisory_xact_lock(?);\n";

    /**
     * Parameters in {@code arg}, each bound once: rater, campaign, prefetch, the gold draw in [0, 1), a random
     * permutation of 0..5 (its entries below the task's size are a uniform display order), the new lease's id.
     * The task picks use scalar sub-queries of {@code arg}/{@code wanted}, so the planner sees parameters and
     * walks the queue index in order instead of sorting the campaign.
     * The completion texts are looked up one by one (a scalar sub-query per id): as a join, PostgreSQL guesses 100 ids
     * per task and, in a campaign of fewer than ~20,000 completions, chose a hash join that read the whole
     * {@code completion} table on every lease (5 ms of PostgreSQL CPU per judgment in the stream benchmark).
     */
    private static final String LEASE = """
            WITH arg AS (
                SELECT CAST(? AS uuid) AS rater, CAST(? AS uuid) AS campaign, CAST(? AS boolean) AS prefetch,
                       CAST(? AS float8) AS draw, CAST(? AS int[]) AS permutation, CAST(? AS uuid) AS lease_id),
            campaign_row AS (
                SELECT c.id, c.name, c.status, c.overlap, c.gold_ratio, c.lease_minutes, c.form, c.guideline_version
                FROM campaign c WHERE c.id = (SELECT campaign FROM arg)),
            held AS (
                SELECT a.id, a.task_id, a.display_order, a.expires_at, a.leased_at, a.guideline_version FROM assignment a
                WHERE a.rater_id = (SELECT rater FROM arg) AND a.campaign_id = (SELECT campaign FROM arg)
                  AND a.state = 'LEASED' AND a.expires_at > now()),
            -- A new lease is wanted when the rater holds none, or one and asks to prefetch a second.
            wanted AS (
                SELECT c.overlap, c.lease_minutes, c.guideline_version, c.gold_ratio > 0 AS mixes_gold,
                       c.gold_ratio > 0 AND arg.draw < c.gold_ratio AS gold_first
                FROM campaign_row c, arg
                WHERE c.status = 'ACTIVE'
                  AND (SELECT count(*) FROM held) < CASE WHEN arg.prefetch THEN %1$d ELSE 1 END),
            first_choice AS (%2$s),
            other_choice AS (%3$s),
            picked AS (SELECT * FROM first_choice UNION ALL SELECT * FROM other_choice),
            counted AS (
                UPDATE comparison_task t SET leased_count = t.leased_count + 1 FROM picked
                WHERE t.id = picked.id
                RETURNING t.id, t.completion_ids),
            leased AS (
                INSERT INTO assignment (id, task_id, campaign_id, rater_id, display_order, state, leased_at, expires_at,
                                        guideline_version)
                SELECT arg.lease_id, counted.id, arg.campaign, arg.rater,
                       (SELECT jsonb_agg(p.position ORDER BY p.ord)
                        FROM unnest(arg.permutation) WITH ORDINALITY AS p(position, ord)
                        WHERE p.position < jsonb_array_length(counted.completion_ids)),
                       'LEASED', now(), now() + make_interval(mins => wanted.lease_minutes), wanted.guideline_version
                FROM counted, wanted, arg
                RETURNING id, task_id, display_order, expires_at, guideline_version),
            -- What the rater sees: the new lease; without one wanted, the lease on screen (the oldest), or with
            -- prefetch the newest. When one was wanted and none was found, nothing (the caller answers 204).
            shown AS (
                SELECT id, task_id, display_order, expires_at, guideline_version FROM leased
                UNION ALL
                (SELECT h.id, h.task_id, h.display_order, h.expires_at, h.guideline_version FROM held h, arg
                 WHERE NOT EXISTS (SELECT 1 FROM wanted)
                 ORDER BY CASE WHEN arg.prefetch THEN h.leased_at END DESC, CASE WHEN arg.prefetch THEN h.id END DESC,
                          h.leased_at, h.id
                 LIMIT 1))
            SELECT c.status, c.name, coalesce(s.guideline_version, c.guideline_version), c.form::text,
                   EXISTS (SELECT 1 FROM wanted),
                   s.id, s.display_order::text, s.expires_at, p.messages::text,
                   (SELECT json_agg((SELECT co.text FROM completion co WHERE co.id = e.id::uuid) ORDER BY e.ord)
                    FROM jsonb_array_elements_text(t.completion_ids) WITH ORDINALITY AS e(id, ord))
            FROM campaign_row c
            LEFT JOIN shown s ON true
            LEFT JOIN comparison_task t ON t.id = s.task_id
            LEFT JOIN prompt p ON p.id = t.prompt_id""";

    /**
     * One side of the queue (gold or not). Gold tasks ignore overlap, since every rater's accuracy is measured
     * on them. The order is the queue index's: the reward model's certainty (only set in campaigns that prefer
     * uncertain pairs; unscored last), then fewest judgments plus live leases ({@code load}, a stored sum: a leased
     * task is a judgment on its way, and a full task must not sit at the front of the walk). Locking re-checks the
     * {@code load} of a row that changed under the statement, so overlap holds.
     * {@code OFFSET 0} keeps the "not yet seen by this rater" test a probe of {@code assignment_once_per_rater} per
     * candidate task: as an anti-join, the planner read every assignment the rater ever had (the index's second
     * column) on every lease, a cost that grew with the rater's history (240 buffers per lease after 30 s).
     */
    private static final String PICK = """
            SELECT t.id FROM comparison_task t
                WHERE t.campaign_id = (SELECT campaign FROM arg) AND t.gold = %s
                  AND (t.gold OR t.load < (SELECT overlap FROM wanted))
                  AND NOT EXISTS (SELECT 1 FROM assignment a
                                  WHERE a.task_id = t.id AND a.rater_id = (SELECT rater FROM arg)
                                    AND a.state IN ('LEASED', 'SUBMITTED', 'SKIPPED')
                                  OFFSET 0)%s
                ORDER BY t.model_certainty, t.load, t.id
                LIMIT 1
                FOR UPDATE OF t%s""";

    /**
     * The rater lock, then the lease without waiting for locked tasks (SKIP LOCKED), so concurrent raters spread
     * over different tasks: two statements sent in one round trip. On a connection in auto-commit mode the driver
     * ends them with one Sync, and PostgreSQL runs the messages before a Sync as one implicit transaction: the lock
     * is held until the lease commits, without a BEGIN and a COMMIT round trip of its own.
     */
    private static final String LOCK_AND_LEASE = RATER_LOCK + lease(" SKIP LOCKED");
    /**
     * A task locked by a lease in flight may still have room: an empty answer is confirmed by waiting, in a
     * transaction of its own that takes the rater lock again.
     */
    private static final String WAITING = RATER_LOCK + lease("");

    /** The lease statement without the rater lock; {@code lockMode} follows the picks' {@code FOR UPDATE} (plan test). */
    static String lease(String lockMode) {
        String first = PICK.formatted("(SELECT gold_first FROM wanted)", "", lockMode);
        String other = PICK.formatted("NOT (SELECT gold_first FROM wanted)",
                "\n      AND (SELECT mixes_gold FROM wanted) AND NOT EXISTS (SELECT 1 FROM first_choice)", lockMode);
        return LEASE.formatted(TaskQueue.MAX_HELD, first, other);
    }

    /** What the lease statement answered; {@code assignmentId} is null when no lease is shown. */
    record Outcome(String status, String campaignName, int guidelineVersion, String formJson, boolean wanted,
                   UUID assignmentId, String displayOrderJson, Instant expiresAt, String messagesJson,
                   String completionTextsJson) {
    }

    private LeaseStatement() {
    }

    /**
     * Runs {@link #LOCK_AND_LEASE} ({@code skipLocked}) or {@link #WAITING} as one transaction, on a connection in
     * auto-commit mode; empty when the campaign does not exist.
     */
    static java.util.Optional<Outcome> run(Connection connection, boolean skipLocked, UUID raterId, UUID campaignId,
                                           boolean prefetch, double goldDraw, Integer[] permutation) throws SQLException {
        if (!connection.getAutoCommit()) {
            throw new IllegalStateException("the lease commits itself: it needs a connection in auto-commit mode");
        }
        try (PreparedStatement lease = connection.prepareStatement(skipLocked ? LOCK_AND_LEASE : WAITING)) {
            int i = 0;
            lease.setLong(++i, raterId.getMostSignificantBits() ^ campaignId.getLeastSignificantBits());
            lease.setObject(++i, raterId);
            lease.setObject(++i, campaignId);
            lease.setBoolean(++i, prefetch);
            lease.setDouble(++i, goldDraw);
            lease.setArray(++i, connection.createArrayOf("int4", permutation));
            lease.setObject(++i, UUID.randomUUID());
            lease.execute();
            lease.getMoreResults();
            try (ResultSet rs = lease.getResultSet()) {
                if (!rs.next()) {
                    return java.util.Optional.empty();
                }
                OffsetDateTime expires = rs.getObject(8, OffsetDateTime.class);
                return java.util.Optional.of(new Outcome(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                        rs.getBoolean(5), rs.getObject(6, UUID.class), rs.getString(7),
                        expires == null ? null : expires.toInstant(), rs.getString(9), rs.getString(10)));
            }
        }
    }
}
