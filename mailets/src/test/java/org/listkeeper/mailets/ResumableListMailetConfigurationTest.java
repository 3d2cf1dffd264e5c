package org.listkeeper.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;

import javax.mail.MessagingException;

import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.listkeeper.list.ListRecipient.Kind;
import org.listkeeper.pipeline.PipelineSettings;
import org.listkeeper.pipeline.RetryPolicy;

class ResumableListMailetConfigurationTest {
    private static final String MAILET = "list-posts";
    private static final String SERVER_PARKING = "memory://var/mail/listkeeper/parked/";

    /** Parses {@code parameters}, given as name, value, name, value… */
    private static ResumableListMailetConfiguration parse(String... parameters) throws MessagingException {
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName(MAILET);
        for (int i = 0; i < parameters.length; i += 2) {
            config.setProperty(parameters[i], parameters[i + 1]);
        }
        return ResumableListMailetConfiguration.parse(config.build(), SERVER_PARKING);
    }

    private static void assertRefused(String parameter, String value) {
        assertThatThrownBy(() -> parse(parameter, value))
            .isInstanceOf(MessagingException.class)
            .hasMessageStartingWith(MAILET + ": ")
            .hasMessageContaining(parameter);
    }

    // ---- defaults

    @Test
    void parseShouldUseTheDefaultsWhenNoParameterIsGiven() throws Exception {
        ResumableListMailetConfiguration configuration = parse();

        PipelineSettings pipeline = configuration.pipeline();
        assertThat(configuration.kinds()).containsExactly(Kind.POST);
        assertThat(configuration.servesPosts()).isTrue();
        assertThat(pipeline.pipeline()).isEqualTo(PipelineSettings.DEFAULT_PIPELINE);
        assertThat(pipeline.retryPolicy()).isEqualTo(RetryPolicy.defaults());
        assertThat(pipeline.batchSize()).isEqualTo(500);
        assertThat(pipeline.pageSize()).isEqualTo(1000);
        assertThat(pipeline.transportProcessor()).isEqualTo("transport");
        assertThat(pipeline.duplicateWindow()).isEqualTo(Duration.ofDays(7));
        assertThat(configuration.parkingRepository()).isEqualTo(SERVER_PARKING);
    }

    @Test
    void parseShouldUseTheRequestPipelineWhenTheMailetServesOnlyRequestAddresses() throws Exception {
        ResumableListMailetConfiguration configuration = parse("addresses", "request,join,leave,confirm");

        assertThat(configuration.pipeline().pipeline()).isEqualTo(PipelineSettings.DEFAULT_REQUEST_PIPELINE);
        assertThat(configuration.servesPosts()).isFalse();
    }

    @Test
    void parseShouldUseTheBounceProcessingPipelineWhenTheMailetServesOnlyBounces() throws Exception {
        ResumableListMailetConfiguration configuration = parse("addresses", "bounces");

        assertThat(configuration.pipeline().pipeline()).containsExactly("duplicate-check", "bounce-processing");
        assertThat(configuration.servesPosts()).isFalse();
    }

    @Test
    void parseShouldUseThePostPipelineWhenTheMailetServesPostsAndSubAddresses() throws Exception {
        assertThat(parse("addresses", "post,bounces").pipeline().pipeline()).isEqualTo(PipelineSettings.DEFAULT_PIPELINE);
    }

    @Test
    void parseShouldAcceptJamesErrorHandlingParametersWhenGiven() throws Exception {
        assertThat(parse("onMailetException", "propagate", "onMatchException", "error").kinds()).containsExactly(Kind.POST);
    }

    // ---- unknown parameters

    @Test
    void parseShouldRefuseAnUnknownParameterNamingItAndTheKnownOnes() {
        assertThatThrownBy(() -> parse("retryBaseDelai", "5s", "batchSize", "10"))
            .isInstanceOf(MessagingException.class)
            .hasMessageStartingWith(MAILET + ": unknown parameter(s) retryBaseDelai;")
            .hasMessageContaining("known are addresses, batchSize, duplicateWindow");
    }

    // ---- pipeline

    @Test
    void parseShouldTakeThePipelineWhenGivenAsCommaSeparatedNames() throws Exception {
        assertThat(parse("pipeline", " mime-check, fan-out ,").pipeline().pipeline()).containsExactly("mime-check", "fan-out");
    }

    @Test
    void parseShouldPreferTheGivenPipelineWhenTheAddressesHaveADefaultOne() throws Exception {
        assertThat(parse("addresses", "request", "pipeline", "request-commands").pipeline().pipeline())
            .containsExactly("request-commands");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " , ", "footer,fan-out,footer"})
    void parseShouldRefuseThePipelineWhenItNamesNoHandlerOrOneTwice(String value) {
        assertRefused("pipeline", value);
    }

    // ---- retry policy

    @Test
    void parseShouldTakeTheRetryBaseDelayWhenGivenAsADuration() throws Exception {
        assertThat(parse("retryBaseDelay", "2s").pipeline().retryPolicy().base()).isEqualTo(Duration.ofSeconds(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "5 minutes", "1.5s", "-5s", "0s", "11m"})
    void parseShouldRefuseTheRetryBaseDelayWhenNotAPositiveDurationUpToTheMaximumDelay(String value) {
        assertRefused("retryBaseDelay", value);
    }

    @Test
    void parseShouldTakeTheRetryMaxDelayWhenGivenAsADuration() throws Exception {
        assertThat(parse("retryMaxDelay", "1h").pipeline().retryPolicy().maxDelay()).isEqualTo(Duration.ofHours(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ten minutes", "10 m s", "4s"})
    void parseShouldRefuseTheRetryMaxDelayWhenNotADurationOrShorterThanTheBaseDelay(String value) {
        assertRefused("retryMaxDelay", value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "3", "1000"})
    void parseShouldTakeTheRetryMaxAttemptsWhenAWholeNumberFrom0To1000(String value) throws Exception {
        assertThat(parse("retryMaxAttempts", value).pipeline().retryPolicy().maxAttempts()).isEqualTo(Integer.parseInt(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"many", "2.5", "-1", "1001", "99999999999"})
    void parseShouldRefuseTheRetryMaxAttemptsWhenNotAWholeNumberFrom0To1000(String value) {
        assertRefused("retryMaxAttempts", value);
    }

    // ---- batches and pages

    @ParameterizedTest
    @ValueSource(strings = {"1", "100", "10000"})
    void parseShouldTakeTheBatchSizeWhenAWholeNumberFrom1To10000(String value) throws Exception {
        assertThat(parse("batchSize", value).pipeline().batchSize()).isEqualTo(Integer.parseInt(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lots", "", "0", "10001"})
    void parseShouldRefuseTheBatchSizeWhenNotAWholeNumberFrom1To10000(String value) {
        assertRefused("batchSize", value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "50", "100000"})
    void parseShouldTakeThePageSizeWhenAWholeNumberFrom1To100000(String value) throws Exception {
        assertThat(parse("pageSize", value).pipeline().pageSize()).isEqualTo(Integer.parseInt(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "0", "100001"})
    void parseShouldRefuseThePageSizeWhenNotAWholeNumberFrom1To100000(String value) {
        assertRefused("pageSize", value);
    }

    // ---- transport, duplicates, parking

    @Test
    void parseShouldTakeTheTransportProcessorWhenNamed() throws Exception {
        assertThat(parse("transportProcessor", " relay ").pipeline().transportProcessor()).isEqualTo("relay");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void parseShouldRefuseTheTransportProcessorWhenBlank(String value) {
        assertRefused("transportProcessor", value);
    }

    @Test
    void parseShouldTakeTheDuplicateWindowWhenADurationZeroIncluded() throws Exception {
        assertThat(parse("duplicateWindow", "1d").pipeline().duplicateWindow()).isEqualTo(Duration.ofDays(1));
        assertThat(parse("duplicateWindow", "0s").pipeline().duplicateWindow()).isEqualTo(Duration.ZERO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a week", "-1d", "1w"})
    void parseShouldRefuseTheDuplicateWindowWhenNotADuration(String value) {
        assertRefused("duplicateWindow", value);
    }

    @Test
    void parseShouldTakeTheParkingRepositoryWhenGiven() throws Exception {
        assertThat(parse("parkingRepository", " memory://var/mail/other/ ").parkingRepository()).isEqualTo("memory://var/mail/other/");
    }

    // ---- addresses

    @Test
    void parseShouldTakeTheAddressKindsWhenNamedInAnyCase() throws Exception {
        assertThat(parse("addresses", " Request, CONFIRM,,").kinds()).isEqualTo(EnumSet.of(Kind.REQUEST, Kind.CONFIRM));
    }

    @Test
    void parseShouldRefuseTheAddressesWhenOneKindIsUnknown() {
        assertThatThrownBy(() -> parse("addresses", "post,admins"))
            .isInstanceOf(MessagingException.class)
            .hasMessageStartingWith(MAILET + ": unknown address kind 'admins' in addresses; known are post, request, owner");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " , "})
    void parseShouldRefuseTheAddressesWhenTheyNameNoKind(String value) {
        assertRefused("addresses", value);
    }
}
