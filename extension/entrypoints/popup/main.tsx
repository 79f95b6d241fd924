import { render } from 'preact';

function Popup() {
  return <main><h1>Shipshape</h1><p>Open the side panel to see your images.</p></main>;
}

render(<Popup />, document.getElementById('app')!);
