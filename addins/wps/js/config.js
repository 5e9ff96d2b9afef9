// Defaults for this deployment (edit before copying the add-in to the clerks' machines).
// A clerk may change them in 绩效 → 设置; those choices are kept per machine.
var PERFXL_CONFIG = {
  server: "http://127.0.0.1:8765", // where `perfxl serve` listens
  profile: "", // 评分规则, e.g. "xj-60"; empty: the service's default
  token: "", // only when the service runs with --token
  timeoutSeconds: 60
};
