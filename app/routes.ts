import { type RouteConfig, index, layout, prefix, route } from "@react-router/dev/routes";

// One convention (ADR 0003): routes are listed here explicitly; each module lives flat in
// app/routes/ with a dotted name that mirrors its URL (c.$city.admin.tsx ↔ /c/:city/admin).
export default [
  index("routes/home.tsx"),

  // Resident and city-staff pages of one city. The layout's middleware resolves the tenant once.
  route("c/:city", "routes/c.$city.tsx", [
    index("routes/c.$city._index.tsx"),
    route("admin/login", "routes/c.$city.admin.login.tsx"),
    route("admin/logout", "routes/c.$city.admin.logout.tsx"),
    route("admin/invite/:token", "routes/c.$city.admin.invite.$token.tsx"),
    route("admin", "routes/c.$city.admin.tsx", [
      index("routes/c.$city.admin._index.tsx"),
      route("staff", "routes/c.$city.admin.staff.tsx"),
      route("account", "routes/c.$city.admin.account.tsx"),
    ]),
  ]),

  ...prefix("vendor", [
    route("login", "routes/vendor.login.tsx"),
    route("logout", "routes/vendor.logout.tsx"),
    layout("routes/vendor.tsx", [
      index("routes/vendor._index.tsx"),
      route("cities/new", "routes/vendor.cities.new.tsx"),
      route("cities/:tenantId", "routes/vendor.cities.$tenantId.tsx"),
      route("account", "routes/vendor.account.tsx"),
    ]),
  ]),

  route("dev/mail", "routes/dev.mail.tsx"),
  route("healthz", "routes/healthz.ts"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
