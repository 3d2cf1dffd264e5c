package org.listkeeper.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OneClickFormTest {
    @Test
    void urlEncodedBodyShouldBeOneClickOnlyWithTheExactField() {
        assertThat(OneClickForm.isOneClick("application/x-www-form-urlencoded", "List-Unsubscribe=One-Click")).isTrue();
        assertThat(OneClickForm.isOneClick("application/x-www-form-urlencoded; charset=UTF-8", "a=b&List-Unsubscribe=One-Click")).isTrue();
        assertThat(OneClickForm.isOneClick(null, "List-Unsubscribe=One-Click")).isTrue();
        assertThat(OneClickForm.isOneClick("application/x-www-form-urlencoded", "List-Unsubscribe=One-Click%20")).isFalse();
        assertThat(OneClickForm.isOneClick("application/x-www-form-urlencoded", "List-Unsubscribe=Two")).isFalse();
        assertThat(OneClickForm.isOneClick("application/x-www-form-urlencoded", "")).isFalse();
        assertThat(OneClickForm.isOneClick("application/x-www-form-urlencoded", "%zz=%zz")).isFalse();
        assertThat(OneClickForm.isOneClick("application/x-www-form-urlencoded", null)).isFalse();
    }

    @Test
    void multipartBodyShouldBeOneClickWithTheNamedPart() {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--XyZ--\r\n";
        assertThat(OneClickForm.isOneClick("multipart/form-data; boundary=XyZ", body)).isTrue();
        assertThat(OneClickForm.isOneClick("multipart/form-data; boundary=\"XyZ\"", body)).isTrue();
        assertThat(OneClickForm.isOneClick("multipart/form-data; boundary=Other", body)).isFalse();
        assertThat(OneClickForm.isOneClick("multipart/form-data", body)).isFalse();
        String otherField = "--XyZ\r\nContent-Disposition: form-data; name=\"Something\"\r\n\r\nOne-Click\r\n--XyZ--\r\n";
        assertThat(OneClickForm.isOneClick("multipart/form-data; boundary=XyZ", otherField)).isFalse();
    }
}
