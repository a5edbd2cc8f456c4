package io.relais.api.audiences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.relais.dsl.ast.Stage;
import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunnelTest {

  @Test
  void conversionIsReachedTheNextStageOverReachedThisOneWithDisqualifiedApart() {
    Map<Stage, Long> counts = new EnumMap<>(Stage.class);
    counts.put(Stage.SUBSCRIBER, 50L);
    counts.put(Stage.LEAD, 30L);
    counts.put(Stage.MQL, 10L);
    counts.put(Stage.SQL, 0L);
    counts.put(Stage.OPPORTUNITY, 6L);
    counts.put(Stage.CUSTOMER, 4L);
    counts.put(Stage.DISQUALIFIED, 7L);
    AudiencesController.FunnelAnswer funnel = AudiencesController.funnel(counts);
    assertEquals(107, funnel.total());
    assertEquals(7, funnel.disqualified());
    assertEquals(6, funnel.stages().size());
    assertEquals(100, funnel.stages().get(0).atOrBeyond());
    assertEquals(new BigDecimal("0.5000"), funnel.stages().get(0).conversionToNext());
    assertEquals(new BigDecimal("0.4000"), funnel.stages().get(1).conversionToNext());
    assertEquals(new BigDecimal("1.0000"), funnel.stages().get(3).conversionToNext());
    assertNull(funnel.stages().get(5).conversionToNext());
  }

  @Test
  void aStageNobodyReachedHasNoRate() {
    AudiencesController.FunnelAnswer funnel = AudiencesController.funnel(new EnumMap<>(Stage.class));
    assertEquals(0, funnel.total());
    assertNull(funnel.stages().get(0).conversionToNext());
  }
}
