package dev.yubin.auth.password;

/** SCRAM test vectors shared by the password and SASL tests. */
public final class ScramVectors {

    /**
     * RFC 7677 §3's user "user", password "pencil", salt {@code W22ZaJ0SNY7soEsUEjb6gQ==}, 4096 iterations, stored
     * as Dovecot does. Made with Python: {@code hashlib.pbkdf2_hmac("sha256", b"pencil", salt, 4096)}, then
     * StoredKey = SHA-256(HMAC(salted, "Client Key")), ServerKey = HMAC(salted, "Server Key").
     */
    public static final String RFC7677_STORED = "{SCRAM-SHA-256}4096,W22ZaJ0SNY7soEsUEjb6gQ==,"
            + "WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=,wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=";

    /** RFC 5802 §5's example for SCRAM-SHA-1 (salt {@code QSXCR+Q6sek8bf92}), made the same way with SHA-1. */
    public static final String RFC5802_STORED = "{SCRAM-SHA-1}4096,QSXCR+Q6sek8bf92,6dlGYMOdZcOPutkcNY8U2g7vK9Y=,"
            + "D+CSWLOshSulAsxiupA+qs2/fTE=";

    private ScramVectors() {
    }
}
