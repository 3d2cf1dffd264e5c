package org.listkeeper.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OneClickFormTest {
    private static final String FORM = "application/x-www-form-urlencoded";

    private static String multipart(String name, String value) {
        return "--xyz\r\nContent-Disposition: form-data; name=" + name + "\r\n\r\n" + value + "\r\n--xyz--\r\n";
    }

    @Test
    void isOneClickShouldAcceptTheFieldInAUrlencodedOrMultipartBody() {
        assertThat(OneClickForm.isOneClick(FORM, "", "List-Unsubscribe=One-Click", null)).isTrue();
        assertThat(OneClickForm.isOneClick(FORM + "; charset=utf-8", null, "a=b&List-Unsubscribe=One-Click", null)).isTrue();
        assertThat(OneClickForm.isOneClick("multipart/form-data; boundary=xyz", null, multipart("\"List-Unsubscribe\"", "One-Click"),
            null)).isTrue();
        assertThat(OneClickForm.isOneClick("multipart/form-data; boundary=\"xyz\"", null, multipart("List-Unsubscribe", "One-Click"),
            null)).isTrue();
    }

    @Test
    void isOneClickShouldRefuseTheFieldInTheQueryWhateverItsEncoding() {
        // the container read the (empty) body into its parameters: only the query can have given the value
        assertThat(OneClickForm.isOneClick(FORM, "List-Unsubscribe=One-Click", "", new String[] {"One-Click"})).isFalse();
        assertThat(OneClickForm.isOneClick(FORM, "List%2DUnsubscribe=One-Click", "", new String[] {"One-Click"})).isFalse();
        assertThat(OneClickForm.isOneClick(FORM, "List%2dUnsubscribe=One%2DClick", "", new String[] {"One-Click"})).isFalse();
        assertThat(OneClickForm.isOneClick(FORM, "%4Cist-Unsubscribe=One-Click&x=1", "", new String[] {"One-Click"})).isFalse();
        assertThat(OneClickForm.isOneClick(FORM, "List-Unsubscribe=%ZZ", "", new String[] {"One-Click"})).isFalse();
        assertThat(OneClickForm.isOneClick(null, "List-Unsubscribe=One-Click", "", new String[] {"One-Click"})).isFalse();
    }

    @Test
    void isOneClickShouldFindTheBodyValueTheContainerMergedWithTheQuery() {
        assertThat(OneClickForm.isOneClick(FORM, "", "", new String[] {"One-Click"})).isTrue();
        assertThat(OneClickForm.isOneClick(FORM, "List-Unsubscribe=One-Click", "", new String[] {"One-Click", "One-Click"}))
            .isTrue();
    }

    @Test
    void isOneClickShouldWantTheExactFieldNameAndValue() {
        assertThat(OneClickForm.isOneClick(FORM, "", "List-Unsubscribe-Post=One-Click", null)).isFalse();
        assertThat(OneClickForm.isOneClick(FORM, "", "list-unsubscribe=One-Click", null)).isFalse();
        assertThat(OneClickForm.isOneClick(FORM, "", "List-Unsubscribe=one-click", null)).isFalse();
        assertThat(OneClickForm.isOneClick("multipart/form-data; boundary=xyz", null,
            multipart("\"List-Unsubscribe-Post\"", "One-Click"), null)).isFalse();
        assertThat(OneClickForm.isOneClick("multipart/form-data; boundary=xyz", null,
            multipart("List-Unsubscribe-Post", "One-Click"), null)).isFalse();
        assertThat(OneClickForm.isOneClick("multipart/form-data; boundary=xyz", null,
            "--xyz\r\nContent-Disposition: form-data; name=\"x\"; filename=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--xyz--\r\n", null))
            .isFalse();
        assertThat(OneClickForm.isOneClick("text/plain", null, "List-Unsubscribe=One-Click", null)).isFalse();
    }
}
