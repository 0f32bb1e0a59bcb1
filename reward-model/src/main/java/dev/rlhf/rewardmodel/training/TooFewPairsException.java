package dev.rlhf.rewardmodel.training;

/** The dataset does not hold enough usable pairs for a version yet. */
public class TooFewPairsException extends RuntimeException {

    public TooFewPairsException(String message) {
        super(message);
    }
}
