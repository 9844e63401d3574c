package io.lattice.core.energy;

import io.lattice.core.Candidate;
import java.util.Objects;

/**
 * A node as energy-aware placement sees it: the gateway's {@link Candidate} plus its site, the site's
 * conditions now, the node's energy profile for the requested model, its queue and the network
 * round trip to it.
 *
 * @param candidate  the node, its telemetry and the gateway's counts
 * @param site       the site it stands at; {@code site.id()} must equal {@code candidate.siteId()}
 * @param conditions the site's signals at the instant of placement
 * @param profile    the node's energy and speed for the requested model
 * @param queue      the work ahead of a new request
 * @param rtt        network round trip to the node
 */
public record EnergyCandidate(
        Candidate candidate,
        Site site,
        SiteConditions conditions,
        EnergyProfile profile,
        QueueState queue,
        Rtt rtt) {

    public EnergyCandidate {
        Objects.requireNonNull(candidate, "EnergyCandidate: candidate must not be null");
        Objects.requireNonNull(site, "EnergyCandidate: site must not be null");
        Objects.requireNonNull(conditions, "EnergyCandidate: conditions must not be null");
        Objects.requireNonNull(profile, "EnergyCandidate: profile must not be null");
        Objects.requireNonNull(queue, "EnergyCandidate: queue must not be null");
        Objects.requireNonNull(rtt, "EnergyCandidate: rtt must not be null");
        if (!site.id().equals(candidate.siteId())) {
            throw new IllegalArgumentException("EnergyCandidate: node " + candidate.nodeId() + " reports site '"
                    + candidate.siteId() + "' but was given site '" + site.id() + "'");
        }
    }

    /** A candidate whose queue is derived from its telemetry by {@link QueueState#of}. */
    public static EnergyCandidate of(Candidate candidate, Site site, SiteConditions conditions,
                                     EnergyProfile profile, Rtt rtt) {
        return new EnergyCandidate(candidate, site, conditions, profile, QueueState.of(candidate, profile), rtt);
    }

    /** The node's id. */
    public String nodeId() {
        return candidate.nodeId();
    }
}
