package dev.rlhf.engine.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.engine.autodiff.Autodiff;
import dev.rlhf.engine.autodiff.GradientCheck;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every loss against PyTorch (golden/losses.json from make_golden.py): output and gradients of
 * sum(output) to 1e-10; and its autodiff gradient against float64 finite differences at the same point.
 */
class LossGoldenTest {
    private static final Engine ENGINE = new Engine(RuntimeOptions.float64Checks());

    private record Input(String name, DType dtype, long[] dims, double[] data) {
    }

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() throws IOException {
        JsonNode cases = golden().get("cases");
        assertEquals(LossCases.CASES.keySet(), toMap(cases).keySet(), "golden cases and engine cases differ");
        return toMap(cases).entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> checkGolden(e.getKey(), e.getValue())));
    }

    @TestFactory
    Stream<DynamicTest> gradientsMatchFiniteDifferences() throws IOException {
        return toMap(golden().get("cases")).entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            List<Input> inputs = inputs(e.getValue());
            GradientCheck check = new GradientCheck(new Random(5));
            for (Input in : inputs) {
                check.given(in.dtype, in.dims, in.data, e.getValue().get("grads").has(in.name));
            }
            double err = check.maxRelativeError((o, values) -> {
                Map<String, Value> byName = new LinkedHashMap<>();
                for (int i = 0; i < inputs.size(); i++) byName.put(inputs.get(i).name, values.get(i));
                return LossCases.CASES.get(e.getKey()).apply(o, byName);
            });
            assertTrue(err <= 1e-6, e.getKey() + ": relative error " + err);
        }));
    }

    private void checkGolden(String name, JsonNode c) {
        GraphBuilder g = new GraphBuilder(name);
        Ops o = new Ops(g);
        Map<String, Value> values = new LinkedHashMap<>();
        Map<String, TensorData> feeds = new LinkedHashMap<>();
        List<Value> wrt = new ArrayList<>();
        for (Input in : inputs(c)) {
            Value v = g.input(in.name, in.dtype, Shape.of(in.dims));
            values.put(in.name, v);
            feeds.put(in.name, in.dtype == DType.INT64
                    ? TensorData.ofLongs(in.dims, java.util.Arrays.stream(in.data).mapToLong(d -> (long) d).toArray())
                    : TensorData.ofDoubles(in.dims, in.data));
            if (c.get("grads").has(in.name)) wrt.add(v);
        }
        Value out = LossCases.CASES.get(name).apply(o, values);
        g.output(out, "output");
        new Autodiff().gradients(o, o.sumAll(out), wrt).forEach((p, gp) -> g.output(gp, "grad." + p.name()));
        try (CompiledGraph compiled = ENGINE.compile(g)) {
            Map<String, TensorData> result = compiled.run(feeds);
            assertArrayEquals(doubles(c.get("output")), result.get("output").toDoubles(), 1e-10, name + " output");
            for (Value p : wrt) {
                assertArrayEquals(doubles(c.get("grads").get(p.name())), result.get("grad." + p.name()).toDoubles(),
                        1e-10, name + " gradient of " + p.name());
            }
        }
    }

    private static List<Input> inputs(JsonNode c) {
        List<Input> out = new ArrayList<>();
        toMap(c.get("inputs")).forEach((k, v) -> out.add(new Input(k,
                v.get("dtype").asText().equals("int64") ? DType.INT64 : DType.DOUBLE, dims(v), doubles(v))));
        return out;
    }

    private static long[] dims(JsonNode t) {
        long[] d = new long[t.get("shape").size()];
        for (int i = 0; i < d.length; i++) d[i] = t.get("shape").get(i).asLong();
        return d;
    }

    private static double[] doubles(JsonNode t) {
        double[] d = new double[t.get("data").size()];
        for (int i = 0; i < d.length; i++) d[i] = t.get("data").get(i).asDouble();
        if (d.length == 0 && t.get("data").isNumber()) return new double[] {t.get("data").asDouble()};
        return d;
    }

    private static Map<String, JsonNode> toMap(JsonNode obj) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            var e = it.next();
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    private static JsonNode golden() throws IOException {
        try (InputStream in = LossGoldenTest.class.getResourceAsStream("/golden/losses.json")) {
            return new ObjectMapper().readTree(in);
        }
    }
}
