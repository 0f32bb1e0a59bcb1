package dev.rlhf.engine.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {
    /** Every one of the 65,536 half-precision bit patterns against the IEEE binary16 formula in float64. */
    @Test
    void everyHalfValueMatchesTheIeeeFormula() {
        for (int bits = 0; bits < 0x10000; bits++) {
            int sign = bits >>> 15, exponent = (bits >>> 10) & 0x1F, mantissa = bits & 0x3FF;
            float actual = HalfFloats.halfToFloat(bits);
            if (exponent == 0x1F) {
                assertTrue(mantissa == 0 ? Float.isInfinite(actual) : Float.isNaN(actual), Integer.toHexString(bits));
                continue;
            }
            double magnitude = exponent == 0 ? Math.scalb(mantissa / 1024.0, -14)
                    : Math.scalb(1 + mantissa / 1024.0, exponent - 15);
            double expected = sign == 1 ? -magnitude : magnitude;
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), Integer.toHexString(bits));
        }
    }

    @Test
    void bfloat16IsTheTopHalfOfAFloat() {
        assertEquals(1.0f, HalfFloats.bfloat16ToFloat(0x3F80));
        assertEquals(-2.0f, HalfFloats.bfloat16ToFloat(0xC000));
        assertEquals(Float.intBitsToFloat(0x3F7F0000), HalfFloats.bfloat16ToFloat(0x3F7F));
    }
}
