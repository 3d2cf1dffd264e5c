package org.listkeeper.handlers;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.listkeeper.archive.Archiver;
import org.listkeeper.bounces.BounceMetrics;
import org.listkeeper.bounces.Bounces;
import org.listkeeper.digest.DigestDispatch;
import org.listkeeper.digest.Digester;
import org.listkeeper.dmarc.DmarcPolicies;
import org.listkeeper.membership.Membership;
import org.listkeeper.moderation.HoldQueue;
import org.listkeeper.moderation.Moderation;
import org.listkeeper.moderation.RuleRegistry;
import org.listkeeper.notices.Dispatch;
import org.listkeeper.notices.Templates;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.store.Stores;

/**
 * The handlers Listkeeper ships, made once per server with what they work on: the stores, the hold queue, the DMARC
 * policies, the moderation rules. Names are configuration API: add, never rename. The Guice module binds each into
 * the set of handlers a site adds its own to, so the registry knows no implementation.
 */
public final class BuiltinHandlers {
    /** Every built-in handler's name, in the order they are made. */
    public static final List<String> NAMES = List.of(MimeCheck.NAME, DuplicateCheck.NAME, ListHeaders.NAME, PostNumber.NAME,
        SubjectPrefix.NAME, Footer.NAME, ArchiveHandler.NAME, FanOut.NAME, RequestCommands.NAME, SendReplies.NAME, ModerationHandler.NAME,
        BounceProcessing.NAME, DmarcMitigationHandler.NAME, DigestHandler.NAME, DigestDelivery.NAME);

    private final Map<String, Handler> handlers;

    private BuiltinHandlers(List<Handler> handlers) {
        this.handlers = handlers.stream().collect(Collectors.toMap(Handler::name, Function.identity(), (a, b) -> a,
            java.util.LinkedHashMap::new));
    }

    /**
     * The built-in handlers on {@code stores}. {@code publicBaseUrl} is where the public one-click route is reachable
     * (personalized copies carry links to it only when set); {@code digests} is how the host hands a closed digest
     * issue to delivery; {@code clock} is the server's.
     */
    public static BuiltinHandlers create(Stores stores, HoldQueue holdQueue, DmarcPolicies dmarcPolicies, RuleRegistry rules,
                                         Optional<URI> publicBaseUrl, DigestDispatch digests, Clock clock) {
        return create(stores, holdQueue, dmarcPolicies, rules, publicBaseUrl, digests, clock, BounceMetrics.NONE);
    }

    /** As above, counting what bounce processing reads in {@code bounceMetrics}. */
    public static BuiltinHandlers create(Stores stores, HoldQueue holdQueue, DmarcPolicies dmarcPolicies, RuleRegistry rules,
                                         Optional<URI> publicBaseUrl, DigestDispatch digests, Clock clock,
                                         BounceMetrics bounceMetrics) {
        Templates templates = new Templates(stores.templates());
        Dispatch dispatch = new Dispatch(stores.autoReplies(), templates);
        Membership membership = new Membership(stores.roster(), stores.requests(), stores.tokens(), stores.transactions(), clock);
        Moderation moderation = new Moderation(stores.heldPosts(), stores.roster(), stores.tokens(), holdQueue, clock);
        Bounces bounces = new Bounces(stores.roster(), stores.bounces(), stores.transactions(), clock);
        FanOut fanOut = new FanOut(stores.roster(), stores.posts(), stores.unsubscribeTokens(), stores.bounces(), publicBaseUrl);
        return new BuiltinHandlers(List.of(
            new MimeCheck(),
            new DuplicateCheck(stores.posts()),
            new ListHeaders(publicBaseUrl),
            new PostNumber(stores.posts()),
            new SubjectPrefix(),
            new Footer(stores.posts()),
            new ArchiveHandler(new Archiver(stores.archive(), clock), publicBaseUrl),
            fanOut,
            new RequestCommands(membership, moderation, stores.tokens(), stores.roster(), templates, dispatch),
            new SendReplies(),
            new ModerationHandler(stores.moderationRecords(), rules, dispatch),
            new BounceProcessing(bounces, stores.bounces(), stores.roster(), stores.autoReplies(), dispatch, bounceMetrics),
            new DmarcMitigationHandler(dmarcPolicies, templates),
            new DigestHandler(new Digester(stores.digests(), digests, clock)),
            new DigestDelivery(stores.digests(), fanOut, publicBaseUrl)));
    }

    /** Every built-in handler, in the order of {@link #NAMES}. */
    public List<Handler> all() {
        return List.copyOf(handlers.values());
    }

    public Handler get(String name) {
        Handler handler = handlers.get(name);
        if (handler == null) {
            throw new IllegalArgumentException("No built-in handler " + name);
        }
        return handler;
    }
}
