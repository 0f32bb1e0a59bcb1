package dev.rlhf.backend.stats;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A campaign's quality numbers, as the research console charts them. Null agreement means undefined. */
public record CampaignStats(long judgments, long flagged, List<RaterStats> raters, List<PairKappa> pairwiseKappa,
                            Double krippendorffAlpha, List<HourCount> throughputPerHour) {

    public record RaterStats(UUID raterId, String username, long judgments, long goldJudged, long goldCorrect,
                             Double goldAccuracy) {
    }

    public record PairKappa(String raterA, String raterB, int sharedTasks, Double kappa) {
    }

    public record HourCount(Instant hour, long judgments) {
    }
}
