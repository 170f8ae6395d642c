/**
 * The owner's dashboard (`/app/dashboard`): health header, the chart, the photo grid, a photo's own
 * page (`#/photos/<id>`) and the guest links (`#/links`). Live throughout.
 */
import "uplot/dist/uPlot.min.css";
import "../shared/styles.css";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ActivityChart } from "../dashboard/activity-chart.tsx";
import { GuestLinks } from "../dashboard/guest-links.tsx";
import { HealthHeader } from "../dashboard/health-header.tsx";
import { live } from "../dashboard/live.ts";
import { PhotoGrid } from "../dashboard/photo-grid.tsx";
import { PhotoPage } from "../dashboard/photo-page.tsx";
import { type ApiError, api, currentCredentials } from "../shared/api.ts";
import { SignIn } from "../shared/sign-in.tsx";
import { TopBar } from "../shared/top-bar.tsx";

function useRoute(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => {
      setHash(location.hash);
      window.scrollTo(0, 0);
    };
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return hash.replace(/^#/, "") || "/";
}

function Dashboard() {
  const route = useRoute();
  const [signedIn, setSignedIn] = useState<boolean | undefined>(currentCredentials() ? undefined : false);
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    if (signedIn === false) return;
    api("/guest-links")
      .then(() => {
        setSignedIn(true);
        live.start();
      })
      .catch((e: ApiError) => {
        if (e.status === 401) {
          setProblem(e.message);
          setSignedIn(false);
        } else setSignedIn(true);
      });
  }, [signedIn]);
  if (signedIn === false) return <SignIn problem={problem} onSignedIn={() => setSignedIn(undefined)} />;
  if (signedIn === undefined) return <p class="muted">Signing in…</p>;
  const photo = /^\/photos\/([0-9a-f]{64})$/.exec(route)?.[1];
  return (
    <>
      <TopBar current="dashboard">
        <a href="#/links" aria-current={route === "/links" ? "page" : undefined}>
          Guest links
        </a>
      </TopBar>
      <main>
        <HealthHeader />
        {photo ? (
          <PhotoPage id={photo} />
        ) : route === "/links" ? (
          <GuestLinks />
        ) : (
          <>
            <ActivityChart />
            <PhotoGrid />
          </>
        )}
      </main>
    </>
  );
}

const root = document.getElementById("root");
if (root) render(<Dashboard />, root);
