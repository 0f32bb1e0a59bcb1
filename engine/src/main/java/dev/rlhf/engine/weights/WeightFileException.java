package dev.rlhf.engine.weights;

import java.io.IOException;

/** A weight, config or tokenizer file that cannot be used; the message names the file and the tensor or field. */
public class WeightFileException extends IOException {
    public WeightFileException(String message) {
        super(message);
    }

    public WeightFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
