package com.foobar.webapp.web;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateTest {

    @Test
    void escapesEveryValueUnlessItIsHtml() {
        Template t = Template.load("error");
        String out = t.render(Map.of("status", 400, "reason", "<b>", "message",
                "<script>alert('x')</script> & \"q\"")).markup();
        assertThat(out).contains("&lt;b&gt;")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
                .doesNotContain("<script>");
    }

    @Test
    void insertsHtmlValuesAsIs() {
        Html out = Template.load("orders-table").render(Map.of("rows", new Html("<tr><td>1</td></tr>")));
        assertThat(out.markup()).contains("<tr><td>1</td></tr>");
    }

    @Test
    void refusesToRenderWithASlotLeftEmpty() {
        assertThatThrownBy(() -> Template.load("error").render(Map.of("status", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{{reason}}");
    }

    @Test
    void escapeLeavesPlainTextAlone() {
        assertThat(Html.escape("Foo Widget 42")).isEqualTo("Foo Widget 42");
        assertThat(Html.escape(null)).isEmpty();
    }
}
