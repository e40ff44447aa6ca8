package com.microdrama.paywall;

/**
 * A wallet's coins and what it owes: {@code debt} is left by a store reversal that found the coins already spent,
 * and is not part of the total. Bonus coins are spent first.
 */
public record Balance(long paid, long bonus, long debt) {

    public static final Balance EMPTY = new Balance(0, 0);

    /** Coins without debt: a price, a charge or a credit. */
    public Balance(long paid, long bonus) {
        this(paid, bonus, 0);
    }

    public long total() {
        return paid + bonus;
    }

    /** How a price splits into bonus and paid coins. */
    public Balance charge(long price) {
        long fromBonus = Math.min(bonus, price);
        return new Balance(price - fromBonus, fromBonus);
    }

    public Balance minus(Balance spent) {
        return new Balance(paid - spent.paid(), bonus - spent.bonus(), debt);
    }
}
