import { render } from 'preact';

function SidePanel() {
  return <main><h1>Shipshape images</h1></main>;
}

render(<SidePanel />, document.getElementById('app')!);
