package dev.relay.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;

/** Whether a private key belongs to a public key: sign a random challenge and verify it. */
final class KeyMatch {

    private KeyMatch() {}

    static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null || !sameFamily(privateKey.getAlgorithm(), publicKey.getAlgorithm())) {
            return false;
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // a key of another curve or size cannot even verify: not a match
            return false;
        }
    }

    private static boolean sameFamily(String a, String b) {
        return a.equals(b) || (a.startsWith("Ed") && b.startsWith("Ed"));
    }
}
