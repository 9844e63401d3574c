package io.lattice.gateway;

import io.lattice.core.energy.Site;
import io.lattice.core.signal.SignalSource;
import java.util.Objects;

/**
 * A site the gateway knows: what does not change ({@link Site}), a name for people, and where its
 * signals come from. Nodes whose {@code site_id} equals {@code site.id()} are placed by energy,
 * money and carbon; see {@code docs/gateway.md}.
 *
 * @param site    the site's fixed context (PUE, WUE, power limit, jurisdiction, location, heat sink)
 * @param name    a readable name, for example {@code Greenhouse in Brittany}; never null (the id when
 *                the file gives none)
 * @param signals carbon intensity, price, on-site generation and heat demand over time; must provide
 *                at least {@code CARBON_INTENSITY} and {@code PRICE}; thread-safe and non-blocking, as
 *                {@link SignalSource} promises
 */
public record GatewaySite(Site site, String name, SignalSource signals) {
    public GatewaySite {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(signals, "signals");
    }

    /** The site's id, as nodes report it. */
    public String id() {
        return site.id();
    }
}
