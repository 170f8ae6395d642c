import "../shared/styles.css";
import { render } from "preact";
import { TopBar } from "../shared/top-bar.tsx";

const root = document.getElementById("root");
if (root) render(<TopBar current="dashboard" />, root);
