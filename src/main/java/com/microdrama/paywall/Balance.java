package com.microdrama.paywall;

/** A wallet's coins. Bonus coins are spent first. */
public record Balance(long paid, long bonus) {

    public static final Balance EMPTY = new Balance(0, 0);

    public long total() {
        return paid + bonus;
    }

    /** How a price splits into bonus and paid coins. */
    public Balance charge(long price) {
        long fromBonus = Math.min(bonus, price);
        return new Balance(price - fromBonus, fromBonus);
    }

    public Balance minus(Balance spent) {
        return new Balance(paid - spent.paid(), bonus - spent.bonus());
    }
}
