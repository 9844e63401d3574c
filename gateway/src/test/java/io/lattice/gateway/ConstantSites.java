package io.lattice.gateway;

import io.lattice.core.energy.Site;
import io.lattice.core.signal.SignalKind;
import io.lattice.core.signal.StaticSignals;
import io.lattice.core.signal.TimeSeries;
import java.time.Instant;
import java.util.Arrays;

/** Gateway sites whose signals are constant through January 2026 (and repeat after), for placement tests. */
final class ConstantSites {

    private static final Instant JANUARY_2026 = Instant.parse("2026-01-01T00:00:00Z");

    private ConstantSites() {
    }

    /**
     * @param carbon   gCO2e/kWh
     * @param price    USD/MWh
     * @param heatKwTh heat demand, kW_th; 0 for none
     */
    static GatewaySite site(Site site, double carbon, double price, double heatKwTh) {
        StaticSignals.Builder b = StaticSignals.builder().repeating(true)
                .generated(SignalKind.CARBON_INTENSITY, constant(carbon, SignalKind.CARBON_INTENSITY))
                .generated(SignalKind.PRICE, constant(price, SignalKind.PRICE));
        if (heatKwTh > 0) {
            b.generated(SignalKind.HEAT_DEMAND, constant(heatKwTh, SignalKind.HEAT_DEMAND));
        }
        return new GatewaySite(site, site.id(), b.build());
    }

    private static TimeSeries constant(double value, SignalKind kind) {
        double[] v = new double[31 * 24];
        Arrays.fill(v, value);
        return TimeSeries.hourly(JANUARY_2026, v, kind.unit());
    }
}
