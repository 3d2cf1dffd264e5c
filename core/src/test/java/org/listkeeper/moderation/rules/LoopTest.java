package org.listkeeper.moderation.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.listkeeper.moderation.rules.RuleFixture.post;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LoopTest {
    @RegisterExtension
    final RuleFixture fixture = new RuleFixture();

    @Test
    void checkShouldHitWhenThePostCarriesThisListsBeenThereMarkerInAnyCase() throws Exception {
        assertThat(fixture.check("loop", post("ann@member.example", "Subject: hi\nX-BeenThere:  Team@Lists.Example.ORG \n", "x\n")))
            .hasToString("hit: X-BeenThere: team@lists.example.org (a loop)");
    }

    @Test
    void checkShouldHitWhenThePostCarriesThisListsListId() throws Exception {
        assertThat(fixture.check("loop", post("ann@member.example", "Subject: hi\nList-Id: The team <team.lists.example.org>\n", "x\n")))
            .hasToString("hit: List-Id of this list already present (a loop)");
    }

    @Test
    void checkShouldHitWhenOneOfSeveralMarkersIsThisLists() throws Exception {
        assertThat(fixture.check("loop", post("ann@member.example", "Subject: hi\nX-BeenThere: other@lists.example.org\n"
            + "X-BeenThere: team@lists.example.org\n", "x\n")).isHit()).isTrue();
    }

    @Test
    void checkShouldMissWhenTheMarkersAreAnotherLists() throws Exception {
        assertThat(fixture.check("loop", post("ann@member.example", "Subject: hi\nX-BeenThere: other@lists.example.org\n"
            + "List-Id: <other.lists.example.org>\nList-Id: <myteam.lists.example.org>\n", "x\n"))).hasToString("miss");
    }

    @Test
    void checkShouldMissWhenThePostCarriesNoMarker() throws Exception {
        assertThat(fixture.check("loop", post("ann@member.example", "Subject: about team.lists.example.org\n", "x\n")))
            .hasToString("miss");
    }
}
