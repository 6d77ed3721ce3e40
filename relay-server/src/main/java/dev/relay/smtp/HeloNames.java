package dev.relay.smtp;

import io.netty.util.NetUtil;

/**
 * Which EHLO/HELO arguments we take. Lenient about what real clients send (underscores,
 * bare IP addresses) but strict about anything that could break the Received field it lands in.
 */
final class HeloNames {
    private static final int MAX = 255;

    private HeloNames() {}

    static boolean acceptable(String name) {
        if (name.isEmpty() || name.length() > MAX) {
            return false;
        }
        if (name.startsWith("[") && name.endsWith("]")) {
            String inner = name.substring(1, name.length() - 1);
            return NetUtil.isValidIpV4Address(inner)
                    || (inner.regionMatches(true, 0, "IPv6:", 0, 5) && NetUtil.isValidIpV6Address(inner.substring(5)));
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':'
                    || (c >= 128 && Character.isLetterOrDigit(c));
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
