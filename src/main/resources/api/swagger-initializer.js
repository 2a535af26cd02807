// Meterflow's Swagger UI: the API's own document, and the API key (when the engine has keys) sent
// as the X-API-Key header with every request, the document's included. The key is asked for once
// per browser tab (kept in sessionStorage) when /api-doc answers 401; the Authorize button shows it.
window.onload = async function () {
  const STORE = "meterflow-api-key";
  let key = sessionStorage.getItem(STORE) || "";
  const probe = async () => (await fetch("/api-doc", { headers: key ? { "X-API-Key": key } : {} })).status;
  let status = await probe();
  while (status === 401) {
    key = window.prompt("API key of this Meterflow engine (sent as the X-API-Key header)", "") || "";
    if (!key) {
      break;
    }
    status = await probe();
  }
  if (key && status !== 401) {
    sessionStorage.setItem(STORE, key);
  }
  window.ui = SwaggerUIBundle({
    url: "/api-doc",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout",
    requestInterceptor: (request) => {
      const current = sessionStorage.getItem(STORE) || key;
      if (current) {
        request.headers["X-API-Key"] = current;
      }
      return request;
    },
    onComplete: () => {
      if (key) {
        window.ui.preauthorizeApiKey("apiKey", key);
      }
    },
  });
};
