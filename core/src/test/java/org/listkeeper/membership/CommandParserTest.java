package org.listkeeper.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class CommandParserTest {
    @Test
    void parseShouldReadSubjectWithoutReplyPrefixesThenBodyLines() {
        List<CommandLine> commands = CommandParser.parse("Re: AW: confirm abc", "join address=bob@example.org digest=mime\nwho\n");

        assertThat(commands).extracting(CommandLine::name).containsExactly("confirm", "join", "who");
        assertThat(commands.get(0).arguments()).containsExactly("abc");
        assertThat(commands.get(1).option("address")).contains("bob@example.org");
        assertThat(commands.get(1).option("digest")).contains("mime");
    }

    @Test
    void parseShouldStopAtEndAndAtSignatureAndSkipQuotedAndBlankLines() {
        assertThat(CommandParser.parse("", "help\n\n> join\ninfo\nend\nleave\n")).extracting(CommandLine::name)
            .containsExactly("help", "info");
        assertThat(CommandParser.parse(null, "help\n-- \nleave\n")).extracting(CommandLine::name).containsExactly("help");
    }

    @Test
    void parseShouldReadAtMostTenCommands() {
        assertThat(CommandParser.parse("help", "help\n".repeat(20))).hasSize(CommandParser.MAX_COMMANDS);
    }

    @Test
    void parseShouldCutOverlongLines() {
        assertThat(CommandParser.parse(null, "x".repeat(5000)).get(0).text()).hasSizeLessThan(250);
    }
}
