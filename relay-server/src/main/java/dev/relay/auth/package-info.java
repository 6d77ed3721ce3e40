/**
 * SMTP AUTH credentials. Door: {@link dev.relay.auth.Authenticator} (what the listener asks),
 * {@link dev.relay.auth.UsersFile} (the {@code users-file} implementation: bcrypt, PBKDF2 and
 * scrypt hashes) and {@link dev.relay.auth.PasswordHasher} (makes new hashes).
 */
package dev.relay.auth;
