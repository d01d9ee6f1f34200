package dev.extractor.testing;

/**
 * Unwinds a connection's thread when the connection must end now: it was cut on purpose, the
 * client went away during a pause, or the model is closing. Never escapes the package.
 */
final class ConnectionEnd extends RuntimeException {

    ConnectionEnd(String why) {
        super(why, null, false, false);
    }
}
