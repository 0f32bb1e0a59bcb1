package dev.rlhf.engine.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Dequantises ggml blocks to float32, following ggml's reference {@code dequantize_row_*}
 * (the same arithmetic in the same order, so results match the {@code gguf} Python package).
 * Block layouts: Q8_0 {f16 d; i8 q[32]}, Q4_0 {f16 d; u8 q[16]}, Q4_1 {f16 d, m; u8 q[16]},
 * Q5_0 {f16 d; u8 qh[4]; u8 q[16]}, Q5_1 {f16 d, m; u8 qh[4]; u8 q[16]},
 * Q4_K {f16 d, dmin; u8 scales[12]; u8 q[128]}, Q5_K {f16 d, dmin; u8 scales[12]; u8 qh[32]; u8 q[128]},
 * Q6_K {u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d}.
 */
public final class GgmlDequantizer {
    private static final Set<GgmlType> SUPPORTED = EnumSet.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16,
            GgmlType.F64, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q4_K,
            GgmlType.Q5_K, GgmlType.Q6_K);

    private GgmlDequantizer() {
    }

    public static boolean supports(GgmlType type) {
        return SUPPORTED.contains(type);
    }

    public static Set<GgmlType> supported() {
        return EnumSet.copyOf(SUPPORTED);
    }

    /**
     * Dequantises {@code elements} values of {@code type} from {@code src} (little-endian, positioned
     * at the first block) into a new direct float32 buffer.
     */
    public static ByteBuffer dequantize(GgmlType type, ByteBuffer src, long elements) {
        if (!supports(type)) throw new IllegalArgumentException("no dequantisation for ggml type " + type);
        ByteBuffer in = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int base = in.position();
        int n = Math.toIntExact(elements);
        ByteBuffer out = ByteBuffer.allocateDirect(Math.multiplyExact(n, 4)).order(ByteOrder.LITTLE_ENDIAN);
        int blocks = n / type.blockSize();
        // Blocks are independent: chunks of them run on the common pool, each writing its own range.
        int chunk = Math.max(1, 65_536 / type.blockSize());
        IntStream.range(0, (blocks + chunk - 1) / chunk).parallel()
                .forEach(c -> run(type, in, base, out, c * chunk, Math.min(blocks, (c + 1) * chunk)));
        return out;
    }

    /** Dequantises blocks [from, to) (for plain types a block is one element). */
    private static void run(GgmlType type, ByteBuffer in, int base, ByteBuffer out, int from, int to) {
        switch (type) {
            case F32 -> { for (int i = from; i < to; i++) out.putFloat(i * 4, in.getFloat(base + i * 4)); }
            case F64 -> { for (int i = from; i < to; i++) out.putFloat(i * 4, (float) in.getDouble(base + i * 8)); }
            case F16 -> { for (int i = from; i < to; i++) out.putFloat(i * 4, half(in, base + i * 2)); }
            case BF16 -> {
                for (int i = from; i < to; i++) out.putFloat(i * 4, HalfFloats.bfloat16ToFloat(in.getShort(base + i * 2)));
            }
            case Q8_0 -> { for (int b = from; b < to; b++) q8_0(in, base + b * 34, out, b * 32); }
            case Q4_0 -> { for (int b = from; b < to; b++) q4_0(in, base + b * 18, out, b * 32); }
            case Q4_1 -> { for (int b = from; b < to; b++) q4_1(in, base + b * 20, out, b * 32); }
            case Q5_0 -> { for (int b = from; b < to; b++) q5(in, base + b * 22, out, b * 32, false); }
            case Q5_1 -> { for (int b = from; b < to; b++) q5(in, base + b * 24, out, b * 32, true); }
            case Q4_K -> { for (int b = from; b < to; b++) q4_k(in, base + b * 144, out, b * 256); }
            case Q5_K -> { for (int b = from; b < to; b++) q5_k(in, base + b * 176, out, b * 256); }
            case Q6_K -> { for (int b = from; b < to; b++) q6_k(in, base + b * 210, out, b * 256); }
            default -> throw new IllegalArgumentException("no dequantisation for ggml type " + type);
        }
    }

    private static float half(ByteBuffer in, int at) {
        return HalfFloats.halfToFloat(in.getShort(at));
    }

    private static void put(ByteBuffer out, int index, float v) {
        out.putFloat(index * 4, v);
    }

    private static void q8_0(ByteBuffer in, int at, ByteBuffer out, int y) {
        float d = half(in, at);
        for (int j = 0; j < 32; j++) put(out, y + j, in.get(at + 2 + j) * d);
    }

    private static void q4_0(ByteBuffer in, int at, ByteBuffer out, int y) {
        float d = half(in, at);
        for (int j = 0; j < 16; j++) {
            int q = in.get(at + 2 + j) & 0xFF;
            put(out, y + j, ((q & 0x0F) - 8) * d);
            put(out, y + j + 16, ((q >>> 4) - 8) * d);
        }
    }

    private static void q4_1(ByteBuffer in, int at, ByteBuffer out, int y) {
        float d = half(in, at), m = half(in, at + 2);
        for (int j = 0; j < 16; j++) {
            int q = in.get(at + 4 + j) & 0xFF;
            put(out, y + j, (q & 0x0F) * d + m);
            put(out, y + j + 16, (q >>> 4) * d + m);
        }
    }

    /** Q5_0 (signed, offset 16) and Q5_1 (scale and min): four low bits in q, the fifth bit of value j in bit j of qh. */
    private static void q5(ByteBuffer in, int at, ByteBuffer out, int y, boolean withMin) {
        float d = half(in, at), m = withMin ? half(in, at + 2) : 0;
        int h = withMin ? at + 4 : at + 2, q = h + 4;
        int qh = in.getInt(h);
        for (int j = 0; j < 16; j++) {
            int b = in.get(q + j) & 0xFF;
            int x0 = (b & 0x0F) | (((qh >>> j) << 4) & 0x10);
            int x1 = (b >>> 4) | ((qh >>> (j + 12)) & 0x10);
            if (withMin) {
                put(out, y + j, x0 * d + m);
                put(out, y + j + 16, x1 * d + m);
            } else {
                put(out, y + j, (x0 - 16) * d);
                put(out, y + j + 16, (x1 - 16) * d);
            }
        }
    }

    /** Six-bit scale and min number {@code j} of a Q4_K block's 12 packed scale bytes (ggml's get_scale_min_k4). */
    private static int scale(ByteBuffer in, int scales, int j) {
        if (j < 4) return in.get(scales + j) & 63;
        return (in.get(scales + j + 4) & 0x0F) | (((in.get(scales + j - 4) & 0xFF) >>> 6) << 4);
    }

    private static int min(ByteBuffer in, int scales, int j) {
        if (j < 4) return in.get(scales + j + 4) & 63;
        return ((in.get(scales + j + 4) & 0xFF) >>> 4) | (((in.get(scales + j) & 0xFF) >>> 6) << 4);
    }

    private static void q4_k(ByteBuffer in, int at, ByteBuffer out, int y) {
        float d = half(in, at), dmin = half(in, at + 2);
        int scales = at + 4, q = at + 16;
        for (int chunk = 0, is = 0; chunk < 4; chunk++, is += 2, q += 32) {
            float d1 = d * scale(in, scales, is), m1 = dmin * min(in, scales, is);
            float d2 = d * scale(in, scales, is + 1), m2 = dmin * min(in, scales, is + 1);
            int o = y + chunk * 64;
            for (int l = 0; l < 32; l++) {
                int b = in.get(q + l) & 0xFF;
                put(out, o + l, d1 * (b & 0x0F) - m1);
                put(out, o + 32 + l, d2 * (b >>> 4) - m2);
            }
        }
    }

    private static void q5_k(ByteBuffer in, int at, ByteBuffer out, int y) {
        float d = half(in, at), dmin = half(in, at + 2);
        int scales = at + 4, qh = at + 16, q = at + 48;
        for (int chunk = 0, is = 0; chunk < 4; chunk++, is += 2, q += 32) {
            float d1 = d * scale(in, scales, is), m1 = dmin * min(in, scales, is);
            float d2 = d * scale(in, scales, is + 1), m2 = dmin * min(in, scales, is + 1);
            int u1 = 1 << (2 * chunk), u2 = 2 << (2 * chunk), o = y + chunk * 64;
            for (int l = 0; l < 32; l++) {
                int b = in.get(q + l) & 0xFF, high = in.get(qh + l) & 0xFF;
                put(out, o + l, d1 * ((b & 0x0F) + ((high & u1) != 0 ? 16 : 0)) - m1);
                put(out, o + 32 + l, d2 * ((b >>> 4) + ((high & u2) != 0 ? 16 : 0)) - m2);
            }
        }
    }

    private static void q6_k(ByteBuffer in, int at, ByteBuffer out, int y) {
        float d = half(in, at + 208);
        for (int half = 0; half < 2; half++) {
            int ql = at + half * 64, qh = at + 128 + half * 32, sc = at + 192 + half * 8, o = y + half * 128;
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int low0 = in.get(ql + l) & 0xFF, low32 = in.get(ql + l + 32) & 0xFF, high = in.get(qh + l) & 0xFF;
                int q1 = ((low0 & 0x0F) | ((high & 3) << 4)) - 32;
                int q2 = ((low32 & 0x0F) | (((high >>> 2) & 3) << 4)) - 32;
                int q3 = ((low0 >>> 4) | (((high >>> 4) & 3) << 4)) - 32;
                int q4 = ((low32 >>> 4) | (((high >>> 6) & 3) << 4)) - 32;
                put(out, o + l, d * in.get(sc + is) * q1);
                put(out, o + l + 32, d * in.get(sc + is + 2) * q2);
                put(out, o + l + 64, d * in.get(sc + is + 4) * q3);
                put(out, o + l + 96, d * in.get(sc + is + 6) * q4);
            }
        }
    }
}
