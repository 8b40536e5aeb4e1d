/** The Prometheus text format as the core writes it: escaping, special values, cumulative histogram buckets. */
import { writeExposition } from "../../src/metrics/exposition.ts";
import { Histogram } from "../../src/metrics/histogram.ts";
import { utf8Length } from "../../src/metrics/server-metrics.ts";
import { describe, expect, test } from "../support/test.ts";

describe("text exposition", () => {
  test("HELP, TYPE and samples; label values escape backslash, quote and newline", () => {
    const text = writeExposition([
      {
        name: "sockeon_connections",
        help: "Open connections\\ by namespace\nper node.",
        type: "gauge",
        samples: [
          { labels: [["namespace", '/a"b\\c\nd']], value: 2 },
          { labels: [["namespace", "/"]], value: 0 },
        ],
      },
      { name: "x_total", help: "x", type: "counter", samples: [{ value: Number.POSITIVE_INFINITY }, { value: Number.NaN }] },
    ]);
    expect(text).toBe(
      [
        "# HELP sockeon_connections Open connections\\\\ by namespace\\nper node.",
        "# TYPE sockeon_connections gauge",
        'sockeon_connections{namespace="/a\\"b\\\\c\\nd"} 2',
        'sockeon_connections{namespace="/"} 0',
        "# HELP x_total x",
        "# TYPE x_total counter",
        "x_total +Inf",
        "x_total NaN",
        "",
      ].join("\n"),
    );
  });

  test("histogram buckets are cumulative, le ends with +Inf, sum and count follow", () => {
    const h = new Histogram([0.25, 1]);
    for (const v of [0.125, 0.25, 0.5, 2]) h.observe(v);
    expect(h.samples([["event", "echo"]])).toEqual([
      {
        suffix: "_bucket",
        labels: [
          ["event", "echo"],
          ["le", "0.25"],
        ],
        value: 2,
      },
      {
        suffix: "_bucket",
        labels: [
          ["event", "echo"],
          ["le", "1"],
        ],
        value: 3,
      },
      {
        suffix: "_bucket",
        labels: [
          ["event", "echo"],
          ["le", "+Inf"],
        ],
        value: 4,
      },
      { suffix: "_sum", labels: [["event", "echo"]], value: 2.875 },
      { suffix: "_count", labels: [["event", "echo"]], value: 4 },
    ]);
  });

  test("UTF-8 length without encoding", () => {
    for (const text of ["", "ascii", "héllo", "€", "😀 emoji", "\u0800\u07ff"])
      expect([text, utf8Length(text)]).toEqual([text, new TextEncoder().encode(text).length]);
  });
});
