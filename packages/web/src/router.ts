/** A small history-API router: the server answers every client path with index.html. */
import { useEffect, useState } from "react";

export function navigate(path: string): void {
  if (path === location.pathname + location.search) return;
  history.pushState(null, "", path);
  window.dispatchEvent(new Event("yibao:navigate"));
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    window.addEventListener("popstate", update);
    window.addEventListener("yibao:navigate", update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener("yibao:navigate", update);
    };
  }, []);
  return path;
}
