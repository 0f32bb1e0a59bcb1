package dev.rlhf.rewardmodel.training;

import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** One ONNX Runtime engine for the worker: CPU, default threads. */
public class EngineProducer {

    @Produces
    @ApplicationScoped
    Engine engine() {
        return new Engine(RuntimeOptions.defaults());
    }
}
