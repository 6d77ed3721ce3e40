package dev.relay.queue;

/** The MAIL FROM BODY= parameter (RFC 6152, RFC 3030). */
public enum BodyType {
    SEVEN_BIT("7BIT"),
    EIGHT_BIT_MIME("8BITMIME"),
    BINARY_MIME("BINARYMIME");

    private final String keyword;

    BodyType(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static java.util.Optional<BodyType> fromKeyword(String keyword) {
        for (BodyType type : values()) {
            if (type.keyword.equalsIgnoreCase(keyword)) {
                return java.util.Optional.of(type);
            }
        }
        return java.util.Optional.empty();
    }
}
