package com.microdrama.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.microdrama.client.ApiClient;
import com.microdrama.client.ApiException;
import com.microdrama.client.api.PaymentsResourceApi;
import com.microdrama.client.api.PlaybackResourceApi;
import com.microdrama.client.api.SeriesResourceApi;
import com.microdrama.client.api.UnlockResourceApi;
import com.microdrama.client.api.WalletResourceApi;
import com.microdrama.client.model.EpisodeView;
import com.microdrama.client.model.Lock;
import com.microdrama.client.model.PaymentRequired;
import com.microdrama.client.model.Playback;
import com.microdrama.client.model.SeriesDetail;
import com.microdrama.client.model.SeriesPage;
import com.microdrama.client.model.SeriesSummary;
import com.microdrama.client.model.TopUp;
import com.microdrama.client.model.TopUpRequest;
import com.microdrama.client.model.UnlockResult;
import com.microdrama.client.model.Wallet;
import com.microdrama.support.Api;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A Java client generated at build time from docs/openapi.yaml (openapi-generator, as a mobile team would generate
 * a Swift or Kotlin one) walks the viewer's journey against the test app: every answer decodes into the generated
 * types, the 402 included, and a wallet without VIP (vipUntil null) decodes too.
 */
@QuarkusTest
class GeneratedClientJourneyTest {

    @Inject
    AgroalDataSource db;

    @Test
    void a_viewer_browses_plays_a_free_episode_pays_for_a_locked_one_and_plays_it() throws Exception {
        String producer = Tokens.of("producer", Tokens.newSubject("producer"));
        Api.PlayableSeries series = Api.playableSeries(db, producer, "journey", 1, 30, 2);
        UUID seriesId = UUID.fromString(series.id());
        UUID free = UUID.fromString(series.episodes().get(0));
        UUID locked = UUID.fromString(series.episodes().get(1));
        String viewerId = Tokens.newSubject("viewer");
        ApiClient viewer = client(Tokens.of("viewer", viewerId));

        // Browse, anonymously (the catalogue is public) and signed in.
        SeriesPage page = new SeriesResourceApi(client(null))
                .listSeries(null, null, null, null, null, "50", "new", null, null, null, null);
        assertThat(page.getItems()).extracting(SeriesSummary::getId).contains(seriesId);
        SeriesDetail detail = new SeriesResourceApi(viewer).getSeries(series.id(), null, null, null);
        assertThat(detail.getCoinPrice()).isEqualTo(30);
        List<EpisodeView> episodes = new SeriesResourceApi(viewer).listSeriesEpisodes(series.id(), null, null, null);
        assertThat(episodes).extracting(EpisodeView::getLock).containsExactly(Lock.FREE, Lock.LOCKED);

        // Play the free episode.
        PlaybackResourceApi playback = new PlaybackResourceApi(viewer);
        Playback first = playback.startPlayback(free, null, null);
        assertThat(first.getMasterUrl()).contains("/master.m3u8?token=");
        assertThat(first.getNext().getId()).isEqualTo(locked);

        // The locked one answers 402 with what the app needs to sell it.
        ApiException refused = catchThrowableOfType(ApiException.class, () -> playback.startPlayback(locked, null, null));
        assertThat(refused.getCode()).isEqualTo(402);
        PaymentRequired paywall = viewer.getObjectMapper().readValue(refused.getResponseBody(), PaymentRequired.class);
        assertThat(paywall.getPrice()).isEqualTo(30L);
        assertThat(paywall.getBalance()).isZero();
        assertThat(paywall.getUnlockUrl()).isEqualTo("/api/v1/episodes/" + locked + "/unlock");

        // The payment service credits a store purchase.
        TopUp topUp = new PaymentsResourceApi(client(Tokens.of("payment-service", "store")))
                .creditTopUp(new TopUpRequest().viewerId(viewerId).purchaseId("GPA." + UUID.randomUUID()).pack("coins-100"));
        assertThat(topUp.getPaidCredited()).isEqualTo(100L);
        assertThat(topUp.getReplayed()).isFalse();

        // Unlock, then play.
        UnlockResult unlocked = new UnlockResourceApi(viewer).unlockEpisode(locked, UUID.randomUUID().toString());
        assertThat(unlocked.getChargedPaid()).isEqualTo(30L);
        assertThat(unlocked.getTotal()).isEqualTo(70L);
        Playback second = playback.startPlayback(locked, null, null);
        assertThat(second.getEpisodeId()).isEqualTo(locked);
        assertThat(second.getNext()).as("no episode after the last one").isNull();

        // A wallet without VIP: vipUntil is null, and the generated model takes it.
        Wallet wallet = new WalletResourceApi(viewer).getWallet();
        assertThat(wallet.getVipUntil()).isNull();
        assertThat(wallet.getTotal()).isEqualTo(70L);
        assertThat(wallet.getRecent()).hasSize(2);
    }

    /** The generated client, pointed at the test app, sending {@code token} as its bearer token when given. */
    private static ApiClient client(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://localhost:" + RestAssured.port);
        if (token != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", Tokens.bearer(token)));
        }
        return client;
    }
}
