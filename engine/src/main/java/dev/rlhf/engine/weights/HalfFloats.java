package dev.rlhf.engine.weights;

/**
 * IEEE half precision (f16) and bfloat16 to float32, exactly (every half value is a float).
 * Java 17 has no {@code Float.float16ToFloat}; this is its bit-level equivalent.
 */
public final class HalfFloats {
    private HalfFloats() {
    }

    /** The float32 value of the 16 low bits of {@code bits} read as IEEE binary16. */
    public static float halfToFloat(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {                       // infinity or NaN: keep the payload
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) return Float.intBitsToFloat(sign);      // signed zero
            float subnormal = mantissa * 0x1p-24f;                     // exact: mantissa < 2^10
            return sign == 0 ? subnormal : -subnormal;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** The float32 value of the 16 low bits of {@code bits} read as bfloat16 (the top half of a float32). */
    public static float bfloat16ToFloat(int bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }
}
