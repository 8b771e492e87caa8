package com.foobar.balancer.http;

import com.foobar.balancer.config.HttpLimitsConfig.UnderscorePolicy;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Header names with underscores, as Envoy's {@code headers_with_underscores_action}: {@code drop} removes them (so
 * {@code X_Auth_User} cannot pose as {@code X-Auth-User} to a server that folds {@code _} into {@code -}),
 * {@code reject} answers 400. Not run for {@code allow}.
 */
final class UnderscoreCheck implements HeadCheck {

    private final UnderscorePolicy policy;

    UnderscoreCheck(UnderscorePolicy policy) {
        this.policy = policy;
    }

    @Override
    public Refusal check(HttpRequest req) {
        List<CharSequence> found = withUnderscore(req.headers());
        if (found == null) {
            return null;
        }
        if (policy == UnderscorePolicy.REJECT) {
            return new Refusal(HttpResponseStatus.BAD_REQUEST,
                    "header name \"" + found.get(0) + "\" contains an underscore, which this listener refuses");
        }
        for (CharSequence name : found) {
            req.headers().remove(name);
        }
        return null;
    }

    static List<CharSequence> withUnderscore(HttpHeaders h) {
        List<CharSequence> found = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            for (int i = 0, n = name.length(); i < n; i++) {
                if (name.charAt(i) == '_') {
                    if (found == null) {
                        found = new ArrayList<>(2);
                    }
                    found.add(name);
                    break;
                }
            }
        }
        return found;
    }
}
