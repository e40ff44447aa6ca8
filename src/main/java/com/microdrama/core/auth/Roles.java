package com.microdrama.core.auth;

/** The roles carried in a token's {@code groups} claim. */
public final class Roles {
    public static final String VIEWER = "viewer";
    public static final String PRODUCER = "producer";
    public static final String OPERATOR = "operator";
    /** Server-to-server callers that credit coins and grant VIP after a verified store purchase. */
    public static final String PAYMENT_SERVICE = "payment-service";

    private Roles() {
    }
}
