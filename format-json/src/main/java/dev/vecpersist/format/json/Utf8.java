package dev.vecpersist.format.json;

/** Well-formed UTF-8 in the strict sense (no overlong forms, no surrogates, nothing above U+10FFFF). */
final class Utf8 {

    private Utf8() {
    }

    static boolean isWellFormed(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int more;
            int low = 0x80;
            int high = 0xbf; // the range of the first continuation byte
            if (c >= 0xc2 && c <= 0xdf) {
                more = 1;
            } else if (c >= 0xe0 && c <= 0xef) {
                more = 2;
                if (c == 0xe0) {
                    low = 0xa0; // overlong below
                } else if (c == 0xed) {
                    high = 0x9f; // surrogates above
                }
            } else if (c >= 0xf0 && c <= 0xf4) {
                more = 3;
                if (c == 0xf0) {
                    low = 0x90;
                } else if (c == 0xf4) {
                    high = 0x8f; // beyond U+10FFFF above
                }
            } else {
                return false;
            }
            if (end - i <= more) {
                return false;
            }
            int first = b[i + 1] & 0xff;
            if (first < low || first > high) {
                return false;
            }
            for (int k = 2; k <= more; k++) {
                if ((b[i + k] & 0xc0) != 0x80) {
                    return false;
                }
            }
            i += more + 1;
        }
        return true;
    }
}
