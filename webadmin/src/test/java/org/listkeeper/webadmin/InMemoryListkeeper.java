package org.listkeeper.webadmin;

import java.time.Duration;
import java.time.Instant;

import org.apache.james.core.MailAddress;
import org.apache.james.dnsservice.api.InMemoryDNSService;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.apache.james.task.Hostname;
import org.apache.james.task.MemoryTaskManager;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.WebAdminServer;
import org.apache.james.webadmin.WebAdminUtils;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.mailet.base.test.FakeMailContext;
import org.listkeeper.bounces.BounceRecords;
import org.listkeeper.list.AddressPatterns;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListDirectory;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.membership.Membership;
import org.listkeeper.moderation.Moderation;
import org.listkeeper.moderation.RuleRegistry;
import org.listkeeper.moderation.rules.BuiltinRules;
import org.listkeeper.notices.Dispatch;
import org.listkeeper.notices.Templates;
import org.listkeeper.store.Stores;
import org.listkeeper.testing.InMemoryStores;
import org.listkeeper.testing.MemoryHoldQueue;
import org.listkeeper.testing.MutableClock;
import org.listkeeper.unsubscribe.OneClickUnsubscribe;
import org.listkeeper.webadmin.service.ArchiveService;
import org.listkeeper.webadmin.service.HeldPostService;
import org.listkeeper.webadmin.service.ListService;
import org.listkeeper.webadmin.service.MemberImportService;
import org.listkeeper.webadmin.service.NoticeSender;
import org.listkeeper.webadmin.service.RequestService;
import org.listkeeper.webadmin.service.RosterService;

import io.restassured.RestAssured;

/**
 * What the routes run on in a James server, in memory: an H2 list store, James's own memory domain list and task
 * manager, a fake mailet context that records the mail sent, and a clock the test moves; and a WebAdmin server to
 * serve the routes under test.
 */
final class InMemoryListkeeper implements AutoCloseable {
    static final Instant START = Instant.parse("2026-12-01T09:00:00Z");

    final MutableClock clock = new MutableClock(START);
    final Stores stores = InMemoryStores.open();
    final FakeMailContext mailetContext = FakeMailContext.defaultContext();
    final MemoryDomainList domainList = domainList();
    final MemoryHoldQueue holdQueue = new MemoryHoldQueue();
    final MemoryParkedPosts parkedPosts = new MemoryParkedPosts();
    final MemoryTaskManager taskManager = new MemoryTaskManager(new Hostname("localhost"));
    final JsonTransformer jsonTransformer = new JsonTransformer();
    final RuleRegistry rules = RuleRegistry.of(BuiltinRules.create(stores.roster(), AddressPatterns.none()));
    final ListDirectory directory = new ListDirectory(stores.lists(), Duration.ofSeconds(10), clock);
    private WebAdminServer webAdminServer;

    private static MemoryDomainList domainList() {
        try {
            MemoryDomainList domains = new MemoryDomainList(new InMemoryDNSService());
            domains.configure(DomainListConfiguration.builder().autoDetect(false).autoDetectIp(false).build());
            return domains;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // the domain services and the routes, wired as ListkeeperModule and Guice wire them in James

    final Templates templates = new Templates(stores.templates());
    final NoticeSender notices = new NoticeSender(new Dispatch(stores.autoReplies(), templates), mailetContext, clock);
    final Membership membership = new Membership(stores.roster(), stores.requests(), stores.tokens(), stores.transactions(), clock);
    final Moderation moderation = new Moderation(stores.heldPosts(), stores.roster(), stores.tokens(), holdQueue, clock);

    ListRoutes listRoutes() {
        return new ListRoutes(new ListService(stores.lists(), stores.roster(), directory, domainList, rules), stores.lists(), templates,
            parkedPosts, jsonTransformer);
    }

    MemberRoutes memberRoutes() {
        return memberRoutes(stores.bounces());
    }

    /** With {@code bounces} standing for the store's bounce records, to make them fail. */
    MemberRoutes memberRoutes(BounceRecords bounces) {
        return new MemberRoutes(new RosterService(stores.lists(), stores.roster(), bounces, stores.unsubscribeTokens(), stores.transactions()),
            new MemberImportService(stores.lists(), stores.roster(), membership, notices, clock),
            new RequestService(stores.lists(), stores.requests(), membership, notices, clock), taskManager, jsonTransformer);
    }

    HeldRoutes heldRoutes() {
        return new HeldRoutes(new HeldPostService(stores.lists(), stores.heldPosts(), holdQueue, moderation, notices, clock), jsonTransformer);
    }

    /** The digest issues handed to delivery, in order: in James the list processor takes them. */
    final java.util.List<org.listkeeper.digest.DigestIssue> dispatchedDigests = new java.util.concurrent.CopyOnWriteArrayList<>();
    final org.listkeeper.digest.Digester digester = new org.listkeeper.digest.Digester(stores.digests(),
        (list, issue) -> dispatchedDigests.add(issue), clock);

    DigestRoutes digestRoutes() {
        return new DigestRoutes(new org.listkeeper.webadmin.service.DigestService(stores.lists(), stores.digests(), digester),
            jsonTransformer);
    }

    ArchiveRoutes archiveRoutes() {
        return new ArchiveRoutes(new ArchiveService(stores.lists(), stores.archive(), stores.posts(), clock), taskManager,
            jsonTransformer);
    }

    UnsubscribeRoutes unsubscribeRoutes() {
        return new UnsubscribeRoutes(new OneClickUnsubscribe(stores.lists(), stores.roster(), stores.unsubscribeTokens(),
            stores.transactions()), notices);
    }

    /**
     * Serves {@code routes} on a WebAdmin server of their own on a random port, as James's route tests do, and points
     * REST Assured at it; the server serving before, if any, stops.
     */
    void serve(Routes... routes) {
        stopServing();
        webAdminServer = WebAdminUtils.createWebAdminServer(routes).start();
        RestAssured.requestSpecification = WebAdminUtils.buildRequestSpecification(webAdminServer).build();
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    private void stopServing() {
        if (webAdminServer != null) {
            webAdminServer.destroy();
            webAdminServer = null;
        }
    }

    MailingList createList(String address, ListChanges settings) {
        return stores.lists().saveList(address(address), settings);
    }

    MailingList createList(String address) {
        return createList(address, ListChanges.none());
    }

    void addMembers(MailingList list, Member... members) {
        for (Member member : members) {
            stores.roster().saveMember(list.id(), member);
        }
    }

    static MailAddress address(String address) {
        try {
            return new MailAddress(address);
        } catch (javax.mail.internet.AddressException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        stopServing();
        taskManager.stop();
        stores.close();
    }
}
