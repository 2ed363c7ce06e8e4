import type { AnchorHTMLAttributes, MouseEvent } from "react";
import { isModifiedClick, navigate } from "../app/router";

type Props = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string };

/** A real <a href> (so open-in-new-tab and copy-link work) that navigates in-app on a plain click. */
export function Link({ href, onClick, ...rest }: Props) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || isModifiedClick(e) || rest.target) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}
