package dev.rlhf.engine.tokenizer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GPT-2's byte-to-character table: printable Latin-1 bytes stand for themselves, the other 68
 * bytes are shifted to code points 256 and up, so every byte has a visible character.
 */
final class ByteLevelAlphabet {
    private ByteLevelAlphabet() {
    }

    static Map<Integer, Character> byteToChar() {
        Map<Integer, Character> table = new LinkedHashMap<>();
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table.put(b, (char) (printable ? b : 256 + shifted++));
        }
        return table;
    }
}
