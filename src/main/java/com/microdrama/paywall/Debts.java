package com.microdrama.paywall;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * How a reversed store purchase takes its coins back without a balance going negative, and how the next top-up
 * pays what is still owed. A wallet's coins, its debt and the ledger's sums stay equal column by column.
 */
final class Debts {

    private Debts() {
    }

    /** What a reversal takes from the wallet, and the part it could not take, which becomes debt. */
    record Reversal(Balance taken, long debt) {
    }

    /**
     * The purchase's paid coins come from paid coins and its bonus coins from bonus coins; a shortfall of one kind
     * is taken from what is left of the other, and whatever is still missing (spent already) is owed.
     */
    static Reversal reversal(Balance wallet, Balance credited) {
        long paid = Math.min(wallet.paid(), credited.paid());
        long bonus = Math.min(wallet.bonus(), credited.bonus());
        long paidShort = credited.paid() - paid;
        long bonusShort = credited.bonus() - bonus;
        long bonusForPaid = Math.min(wallet.bonus() - bonus, paidShort);
        long paidForBonus = Math.min(wallet.paid() - paid, bonusShort);
        return new Reversal(new Balance(paid + paidForBonus, bonus + bonusForPaid),
                paidShort - bonusForPaid + bonusShort - paidForBonus);
    }

    /** What settles a debt from a wallet's coins: as much as they cover, bonus coins first like any spending. */
    static Balance settlement(Balance wallet) {
        return wallet.charge(Math.min(wallet.debt(), wallet.total()));
    }

    /**
     * Inside a top-up's transaction, after its credit (which holds the wallet's row lock) left {@code after}: pays
     * the debt from the new coins with its own 'debt_settlement' ledger row (the 'topup' row stays equal to the
     * pack) and answers the wallet as it is then. No debt: nothing is written.
     */
    static Uni<Balance> settle(SqlClient tx, String viewerId, String purchaseId, Balance after) {
        Balance paid = settlement(after);
        if (paid.total() == 0) {
            return Uni.createFrom().item(after);
        }
        Balance settled = new Balance(after.paid() - paid.paid(), after.bonus() - paid.bonus(),
                after.debt() - paid.total());
        return StoreEventStore.move(tx, viewerId, settled, new Balance(-paid.paid(), -paid.bonus()), -paid.total(),
                        "debt_settlement", purchaseId, null)
                .replaceWith(settled);
    }
}
